// Compiled by `tsc --strict` in the node tests: the package's declarations
// must describe what a TypeScript EHR front end writes against them.
import init, { CodeBook } from 'chartcode';
import type { Hit, CodeRecord, Entry, Validation, Crosswalk, SystemInfo, Coding, SearchOptions } from 'chartcode';
import initIcd10cm, { CodeBook as Icd10cmBook } from 'chartcode/icd10cm';
import { ChartcodePicker, loadCodeBook, pageBookInUse, useCodeBook } from 'chartcode/picker';
import type { ChartcodeSelection, ChartcodeResults } from 'chartcode/picker';
import { ChartcodeSuggest } from 'chartcode/suggest';
import type { ChartcodeSuggestions } from 'chartcode/suggest';

export function wire(picker: ChartcodePicker, store: (coding: ChartcodeSelection['coding']) => void): void {
  picker.addEventListener('chartcode-select', (event) => store(event.detail.coding));
  picker.addEventListener('chartcode-clear', (event) => {
    if (event.detail.removed) store(event.detail.removed.coding);
  });
  picker.addEventListener('chartcode-results', (event) => {
    const results: ChartcodeResults = event.detail;
    if (results.error !== undefined) store({ system: '', code: results.query, display: `${results.count}: ${results.error}` });
  });
  const found: ChartcodePicker | null = document.querySelector('chartcode-picker');
  if (found && found.multiple && !found.disabled) found.value = 'E11.9 I10';
  picker.clear();
  const added: boolean = picker.add({ system: 'icd10cm', code: 'E11.9', display: 'Type 2 diabetes mellitus without complications' });
  if (!added) store({ system: '', code: '', display: 'not added' });
  void loadCodeBook().then((book) => useCodeBook(book));
  const own: boolean = pageBookInUse();
  if (own) store({ system: '', code: '', display: 'own book' });
}

export function wireSuggest(suggest: ChartcodeSuggest, store: (coding: ChartcodeSelection['coding']) => void): void {
  suggest.htmlFor = 'note';
  suggest.setting = 'inpatient';
  suggest.targets = 'problems';
  suggest.limit = 10;
  suggest.addEventListener('chartcode-select', (event) => store(event.detail.coding));
  suggest.addEventListener('chartcode-dismiss', (event) => store(event.detail.coding));
  suggest.addEventListener('chartcode-suggestions', (event) => {
    const counts: ChartcodeSuggestions = event.detail;
    if (counts.count + counts.notCoded === 0) store({ system: '', code: '', display: 'none' });
  });
  void suggest.refresh().then(() => suggest.suggestions.filter((s) => s.coded).map((s) => store(s.coding)));
  const found: ChartcodeSuggest | null = document.querySelector('chartcode-suggest');
  if (found) found.disabled = false;
}

export async function main(): Promise<string[]> {
  await init();
  await initIcd10cm();
  const book = new CodeBook({ today: '2026-11-27' });
  const other = new Icd10cmBook();
  const options: SearchOptions = { systems: ['icd10cm', 'hcpcs'], limit: 10, billableOnly: true };
  const hits: Hit[] = book.search('chf', options);
  const first: Hit | undefined = hits[0];
  const coding: Coding | undefined = first?.coding;
  const ranges: [number, number][] = first?.highlights ?? [];
  const record: CodeRecord | null = book.lookup('E11.9');
  const seventh: string[] = record?.seventhCharacters.map((s) => s.code) ?? [];
  const notes: string[] = record?.inheritedNotes.flatMap((n) => n.notes.map((x) => `${x.kind}: ${x.text}`)) ?? [];
  const children: Entry[] | null = book.children('E11');
  const top: Entry[] | null = book.children();
  const check: Validation = book.validate('S72.001', 'icd10cm');
  const crosswalk: Crosswalk | null = book.map('250.00', 'icd10cm');
  const systems: SystemInfo[] = other.systems();
  book.setToday(new Date());
  book.free();
  return [
    coding?.system ?? '',
    String(ranges.length),
    String(seventh.length + notes.length),
    String(children?.length ?? 0),
    String(top?.length ?? 0),
    check.reason ?? '',
    crosswalk?.targets.map((t) => `${t.code}${t.approximate ? '~' : ''}`).join(' ') ?? '',
    systems.map((s) => `${s.id} ${s.counts.billable}`).join(', '),
  ];
}

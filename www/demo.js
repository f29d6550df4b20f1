// The demo EHR page: the note with the codes it supports beside it, three
// pickers, the ICD-9 crosswalk, and a form whose submission is shown
// instead of sent (this page makes no request).
import { loadCodeBook } from '/pkg/chartcode-picker.js';
import '/pkg/chartcode-suggest.js';

const form = document.getElementById('encounter');
const submitted = document.getElementById('submitted');
const legacy = document.getElementById('legacy');
const crosswalk = document.getElementById('crosswalk');
const dateOfService = document.getElementById('date-of-service');
const note = document.getElementById('note');
const suggestions = document.getElementById('suggestions');
const sample = document.getElementById('sample');

// Sample notes, written for this demo (fictional patients). Each says
// where it is written: the setting its suggestions follow.
const SAMPLES = {
  office: { setting: 'outpatient', text: note.value },
  snf: {
    setting: 'snf',
    text: 'Nursing-home progress note. 84-year-old resident with Alzheimer dementia and a stage 2 pressure ulcer of the sacrum, ' +
      'dressing changed, wound clean. Urinary incontinence, briefs in use. High fall risk; no fall this week. On warfarin for ' +
      'atrial fibrillation, INR 2.4. No fever. Possible urinary tract infection: urinalysis sent. Family history: mother had ' +
      'stroke.\nPlan: continue turning every 2 hours, pressure-redistribution mattress, recheck wound Friday.',
  },
  dental: {
    setting: 'dental',
    text: 'Chief complaint: pain on biting, lower left, for 2 weeks. Findings: dental caries of tooth #19, cracked tooth #18, ' +
      'generalized gingivitis with bleeding on probing. No swelling. Medical history: hypertension, type 2 diabetes on ' +
      'metformin. Allergies: penicillin.\nPlan: composite restoration #19, crown recommended for #18, prophylaxis today.',
  },
};

const problems = document.getElementById('problems');
const findings = document.getElementById('findings');
const patient = document.getElementById('patient');

// The patient banner's age and sex go into the problem list's checks.
problems.patientAge = patient.dataset.age;
problems.patientSex = patient.dataset.sex;

function setSetting(value) {
  suggestions.setting = value;
  for (const picker of document.querySelectorAll('chartcode-picker')) picker.setting = value;
  for (const radio of document.querySelectorAll('input[name="setting"]')) radio.checked = radio.value === value;
}
for (const radio of document.querySelectorAll('input[name="setting"]')) {
  radio.addEventListener('change', () => radio.checked && setSetting(radio.value));
}
setSetting(document.querySelector('input[name="setting"]:checked')?.value ?? 'outpatient');
sample.addEventListener('change', () => {
  const chosen = SAMPLES[sample.value];
  note.value = chosen.text;
  setSetting(chosen.setting);
  suggestions.refresh();
});

/** Today in local time, `YYYY-MM-DD` (what a date input holds). */
function localToday() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Every picker, and the suggestions, code on the visit's date of service. */
function applyDateOfService() {
  for (const picker of document.querySelectorAll('chartcode-picker, chartcode-suggest')) picker.dateOfService = dateOfService.value;
  showCrosswalk();
}
dateOfService.value = localToday();
dateOfService.addEventListener('change', applyDateOfService);
applyDateOfService();

async function showCrosswalk() {
  const code = legacy.value;
  crosswalk.replaceChildren();
  if (!code) return;
  const book = await loadCodeBook();
  book.setToday(dateOfService.value || new Date()); // the visit's release
  const x = book.map(code, 'icd10cm');
  const heading = document.createElement('p');
  if (!x) {
    heading.textContent = `${code}: no ICD-10-CM translation in the GEMs.`;
    crosswalk.append(heading);
    return;
  }
  heading.textContent = `${x.code} ${x.title ?? ''} → ICD-10-CM (${x.source})`;
  const list = document.createElement('ul');
  for (const t of x.targets) {
    const item = document.createElement('li');
    const flags = [t.approximate && 'approximate', t.combination && `combination ${t.scenario}.${t.choiceList}`, t.refinedFrom && `refined from ${t.refinedFrom}`, !t.billable && 'not billable']
      .filter(Boolean)
      .join(', ');
    item.textContent = t.noMap ? 'No ICD-10-CM equivalent' : `${t.code} ${t.title ?? ''}${flags ? ` (${flags})` : ''}`;
    list.append(item);
  }
  crosswalk.append(heading, list);
  if (x.note) {
    const note = document.createElement('p');
    note.textContent = x.note;
    crosswalk.append(note);
  }
}

legacy.addEventListener('chartcode-select', showCrosswalk);
legacy.addEventListener('chartcode-clear', showCrosswalk);
loadCodeBook().then(showCrosswalk, (e) => (crosswalk.textContent = `The code books could not be loaded: ${e.message}`));

/** One element with a class and text (never innerHTML with data). */
function line(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The problem list's checks: findings (errors first), then what the set weighs on payment. */
function showFindings(report) {
  if (!report) {
    findings.replaceChildren(line('p', 'muted', 'No codes yet.'));
    return;
  }
  if (report.error) {
    findings.replaceChildren(line('p', 'finding error', `The checks could not run: ${report.error}`));
    return;
  }
  const list = line('ul', 'finding-list');
  for (const f of report.findings) {
    const item = line('li', `finding ${f.severity}`);
    item.dataset.rule = f.rule;
    item.append(line('span', 'severity', f.severity), line('span', 'message', f.message), line('span', 'source', f.source));
    list.append(item);
  }
  const nodes = [report.findings.length ? list : line('p', 'muted', 'No findings: the set passes the checks.')];
  const s = report.summary;
  const weights = [
    ...s.hcc.map((h) => `HCC ${h.hcc} ${h.label} (${h.codes.join(', ')})${h.droppedBy ? `: dropped, HCC ${h.droppedBy} ranks above` : ''}`),
    ...s.ccMcc.map((c) => `${c.level} ${c.code}${c.excluded ? ': excluded by the principal diagnosis' : ''}`),
    ...s.pdpm.nta.map((g) => `PDPM NTA ${g.comorbidity} (${g.codes.join(', ')})`),
    ...s.pdpm.slp.map((g) => `PDPM SLP ${g.comorbidity} (${g.codes.join(', ')})`),
  ];
  if (weights.length) {
    const summary = line('ul', 'weights');
    summary.setAttribute('aria-label', 'Payment weight');
    for (const w of weights) summary.append(line('li', '', w));
    nodes.push(line('h4', '', 'Payment weight'), summary);
  }
  findings.replaceChildren(...nodes);
}
problems.addEventListener('chartcode-check', (e) => showFindings(e.detail));

for (const picker of document.querySelectorAll('chartcode-picker')) {
  picker.addEventListener('chartcode-select', (e) => {
    document.body.dataset.lastSelect = JSON.stringify(e.detail);
  });
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const problems = document.getElementById('problems');
  if (!form.checkValidity()) {
    problems.reportValidity();
    submitted.textContent = `Not submitted: ${problems.validationMessage || 'the form is incomplete.'}`;
    return;
  }
  const lines = [];
  for (const [name, value] of new FormData(form)) {
    lines.push(`${name} = ${String(value).replace(/\s+/g, ' ').slice(0, 120)}`);
  }
  const codings = [...document.querySelectorAll('chartcode-picker')].flatMap((p) => p.selected.map((s) => s.coding));
  submitted.textContent = `${lines.join('\n')}\n\nFHIR codings:\n${JSON.stringify(codings, null, 2)}`;
});

form.addEventListener('reset', () => {
  submitted.textContent = 'Nothing yet.';
  setTimeout(() => {
    dateOfService.value = localToday();
    applyDateOfService();
  }, 0);
});

import type { CheckReport, CodeBook, Coding, SystemId } from './index.js';

/** What `chartcode-select` carries, and what `selected` lists. */
export interface ChartcodeSelection {
  system: SystemId;
  code: string;
  display: string;
  billable: boolean;
  coding: Coding;
}

/**
 * What `chartcode-results` carries: after each search, browse or drill-down;
 * after a failed search or load (`count` 0, with `error`); and when the
 * text is emptied (`query` "", `count` 0).
 */
export interface ChartcodeResults {
  /** The text searched (`""` when browsing or emptied). */
  query: string;
  /** How many options are listed. */
  count: number;
  /** Why nothing is listed: the search refused the text or the `systems`, or the code books could not be loaded. */
  error?: string;
}

/** What `chartcode-check` carries: `CodeBook.check()`'s report, or why it could not run. */
export type ChartcodeCheck = CheckReport & { error?: string };

/**
 * `<chartcode-picker>`: a WAI-ARIA combobox that searches the code books in
 * the page. Attributes: `systems` ("icd10cm hcpcs"), `billable-only`, `date-of-service`,
 * `setting` ("snf": an injury's subsequent encounter first and PDPM badges; "inpatient": CC/MCC
 * badges; "dental": dental codes first), `patient-age`, `patient-sex` (for the checks of the
 * selected codes), `placeholder`, `limit`, `value`, `multiple`, `disabled`, `required`,
 * `name`, `preload`. Options and chips show badges ("HCC 38", "CC", "NTA"); a chip with an
 * error (an Excludes1 pair, an age conflict) or a warning carries a mark whose message shows on
 * focus. Events (bubbling, composed): `chartcode-select` (detail: ChartcodeSelection),
 * `chartcode-clear` (detail: `{ removed: ChartcodeSelection | null }`), `chartcode-results`
 * (detail: ChartcodeResults), `chartcode-check` (detail: the check of the selected codes, null
 * when none is selected; a bad `patient-age` gives a report with `error`).
 */
export class ChartcodePicker extends HTMLElement {
  static readonly formAssociated: true;
  /** The selected code; with `multiple`, the codes separated by spaces. */
  value: string;
  readonly selected: ChartcodeSelection[];
  systems: string;
  /** Where the code is chosen: "outpatient", "inpatient", "snf" or "dental"; "" for none. */
  setting: string;
  /** The patient's age in years, for the checks ("" when unknown). */
  patientAge: string;
  /** The patient's sex, "F" or "M" ("" when unknown). */
  patientSex: string;
  /** The latest check of the selected codes; null when none is selected or the books are loading. */
  readonly report: ChartcodeCheck | null;
  billableOnly: boolean;
  /** The date of service, `YYYY-MM-DD` (empty: today): it chooses the release in force (ICD-10-CM FY2026 or FY2027). */
  dateOfService: string;
  multiple: boolean;
  disabled: boolean;
  required: boolean;
  placeholder: string;
  /** Most options listed, 1 to 200 (default 20). */
  limit: number;
  name: string;
  readonly form: HTMLFormElement | null;
  readonly validity: ValidityState;
  readonly validationMessage: string;
  checkValidity(): boolean;
  reportValidity(): boolean;
  focus(options?: FocusOptions): void;
  /** Removes every selection and the text typed (fires `chartcode-clear`). */
  clear(): void;
  /**
   * Adds a selection made elsewhere (an accepted `<chartcode-suggest>` suggestion) as a chip,
   * without firing `chartcode-select`. False for a code of a system not in `systems`, or one
   * already selected.
   */
  add(selection: Pick<ChartcodeSelection, 'system' | 'code'> & Partial<ChartcodeSelection>): boolean;
}

/** The CodeBook all pickers on the page share (loads the module once). */
export function loadCodeBook(): Promise<CodeBook>;
/** Makes every picker use your CodeBook, e.g. one opened with licensed packs.
 *  If the promise rejects, the next load falls back to the module's books. */
export function useCodeBook(book: CodeBook | Promise<CodeBook>): void;
/** Whether `useCodeBook` was called (`<chartcode-suggest>` then reads notes with that book, not in its worker). */
export function pageBookInUse(): boolean;

declare global {
  interface HTMLElementTagNameMap {
    'chartcode-picker': ChartcodePicker;
  }
  interface HTMLElementEventMap {
    'chartcode-select': CustomEvent<ChartcodeSelection>;
    'chartcode-clear': CustomEvent<{ removed: ChartcodeSelection | null }>;
    'chartcode-results': CustomEvent<ChartcodeResults>;
    'chartcode-check': CustomEvent<ChartcodeCheck | null>;
  }
}

import type { Suggestion } from './index.js';
import type { ChartcodeSelection } from './chartcode-picker.js';

/** What `chartcode-suggestions` carries after each reading of the note. */
export interface ChartcodeSuggestions {
  /** Codes listed under "Suggested" (to assign). */
  count: number;
  /** Mentions listed under "Not coded" (negated, a relative's, past, uncertain, hypothetical). */
  notCoded: number;
  /** Milliseconds the engine took to read the note (absent when nothing was read: an error, or a note over the cap). */
  engineMs?: number;
  /** Milliseconds the list took to update after the engine returned. */
  renderMs?: number;
}

/**
 * `<chartcode-suggest>`: the codes a note supports, beside the note. Attributes: `for` (the id of a
 * `<textarea>` or an element with `contenteditable`), `systems` ("icd10cm hcpcs"), `setting`
 * ("outpatient" | "inpatient" | "snf" | "dental"), `limit`, `targets` (ids of
 * `<chartcode-picker multiple>` elements: an accepted code goes to the first whose `systems` list its
 * system), `disabled`, `date-of-service`, `main-thread` (read with the page's shared CodeBook, e.g. one
 * opened with licensed packs, instead of in the worker `chartcode-suggest-worker.js`). Events (bubbling, composed): `chartcode-select` (detail:
 * ChartcodeSelection, once per accepted suggestion), `chartcode-dismiss` (detail: ChartcodeSelection),
 * `chartcode-suggestions` (detail: ChartcodeSuggestions).
 */
export class ChartcodeSuggest extends HTMLElement {
  htmlFor: string;
  systems: string;
  setting: 'outpatient' | 'inpatient' | 'snf' | 'dental' | string;
  /** Most suggestions, 1 to 200 (default 20). */
  limit: number;
  targets: string;
  disabled: boolean;
  /** The date of service, `YYYY-MM-DD` (empty: today): it chooses the release in force. */
  dateOfService: string;
  /** The suggestions listed now (accepted and dismissed ones left out). */
  readonly suggestions: Suggestion[];
  /** Reads the note now instead of at the next pause in typing; resolves once the list is rendered. */
  refresh(): Promise<void>;
}

declare global {
  interface HTMLElementTagNameMap {
    'chartcode-suggest': ChartcodeSuggest;
  }
  interface HTMLElementEventMap {
    'chartcode-dismiss': CustomEvent<ChartcodeSelection>;
    'chartcode-suggestions': CustomEvent<ChartcodeSuggestions>;
  }
}

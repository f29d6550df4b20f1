/** A code system id. Inputs also accept the book's name (`"ICD-10-CM"`). */
export type SystemId = "icd10cm" | "icd10pcs" | "hcpcs" | "icd9cm" | "icd9proc" | "cpt" | "cdt";

/** What a record is in its book's hierarchy. */
export type Kind =
  | "chapter" | "section" | "category" | "subcategory" | "code"
  | "modifier" | "body_system" | "table" | "axis_value";

/** The kind of a note. */
export type NoteKind =
  | "includes" | "inclusion_term" | "excludes1" | "excludes2" | "code_first"
  | "use_additional_code" | "code_also" | "note" | "seven_chr_note" | "seven_chr_def"
  | "definition" | "explanation" | "processing_note";

/** A FHIR `Coding`: what an EHR stores for the chosen code. */
export interface Coding {
  /** Canonical URI of the code system (`http://hl7.org/fhir/sid/icd-10-cm`). */
  system: string;
  /** The code in its official form (`E11.9`). */
  code: string;
  /** The official title. */
  display: string;
}

/** A record in a list: every hit, child, ancestor and candidate. */
export interface Entry {
  system: SystemId;
  /** The code in its official form, with the dot (`E11.9`, `S72.001A`), however it was typed. */
  code: string;
  title: string;
  kind: Kind;
  /** A complete code that may be billed on the day of use. */
  billable: boolean;
  /** The parent's code; `null` at the top of the book. */
  parent: string | null;
  /** Present when the code was terminated before the day of use (HCPCS). */
  terminated?: true;
  /** Present for a retired code set kept for old records (ICD-9-CM). */
  legacy?: true;
  coding: Coding;
}

/** One search result. */
export interface Hit extends Entry {
  /** The ranking key as one number: hits come in falling score (equal scores in book order). It orders the hits of one search; it means nothing across searches. */
  score: number;
  /** The query words (folded) this hit matched, in query order. */
  matched: string[];
  /** `[start, end)` ranges of `title` to highlight, in JavaScript string indices. */
  highlights: [number, number][];
  /**
   * How the hit was reached when not by its own words as typed, the first that applies:
   * `typo` when a word no book has was corrected (`text` is the query as corrected:
   * "hypertension" for "hypertnsion"); `abbreviation` or `lay` when an expansion matched
   * (`text`: "chf → heart failure", "heart attack → myocardial infarction"); `index` when an
   * ICD-10-CM Alphabetic Index entry matched words the record's own text lacks (`text`: the
   * query words it matched; the pack keeps the index's words, not its lines).
   */
  via?: { kind: 'typo' | 'abbreviation' | 'lay' | 'index'; text: string };
  /** What the code weighs on a claim on the date of service (ICD-10-CM); absent when nothing. */
  flags?: CodeFlags;
}

/** One CMS-HCC V28 category a code maps to. */
export interface HccFlag {
  hcc: number;
  label: string;
  /** The model maps the code here only for this age or sex (`age < 50`, `female`). */
  condition?: string;
}

/**
 * What an ICD-10-CM code weighs on a claim, on the date of service: MS-DRG severity as a
 * secondary diagnosis, CMS-HCC V28 categories, PDPM comorbidities (nursing homes) and the
 * Medicare Code Editor's attributes in words (`newborn (age 0)`, `manifestation (not principal)`).
 */
export interface CodeFlags {
  ccMcc?: 'CC' | 'MCC';
  hcc?: HccFlag[];
  pdpm?: { nta?: string[]; slp?: string[] };
  mce?: string[];
}

export interface Note {
  kind: NoteKind;
  text: string;
}

/** Notes of an ancestor, which apply to the record too. */
export interface InheritedNotes {
  code: string;
  notes: Note[];
}

/** A valid 7th character of a code that needs one. */
export interface SeventhCharacter {
  char: string;
  /** `initial encounter for closed fracture` */
  label: string;
  /** The complete code it makes (`S72.001A`). */
  code: string;
}

/** One target of a crosswalk (GEM). */
export interface MapTarget {
  system: SystemId;
  /** The target code; empty when there is no equivalent (`noMap`). */
  code: string;
  title: string | null;
  billable: boolean;
  approximate: boolean;
  noMap: boolean;
  /** One part of a combination that together expresses the source (see `scenario`, `choiceList`). */
  combination: boolean;
  scenario: number;
  choiceList: number;
  /** The GEM's target is no longer a valid code; this is one of its valid descendants. */
  refinedFrom?: string;
  /** The GEM's target is not a code of the loaded release. */
  notInRelease: boolean;
}

/** A code translated into another system. */
export interface Crosswalk {
  code: string;
  system: SystemId;
  title: string | null;
  to: SystemId;
  /** The crosswalk used (`CMS General Equivalence Mappings (…)`). */
  source: string;
  targets: MapTarget[];
  /** How the answer was reached when not directly. */
  note: string | null;
}

/** A Medically Unlikely Edit: the most units of a code reported for one patient on one day. */
export interface Mue {
  /** The most units; 0 means not payable as a practitioner service. */
  units: number;
  /** How the edit is applied (`"3 Date of Service Edit: Clinical"`). */
  adjudication: string;
  /** Why CMS set the number (`"CMS Policy"`). */
  rationale: string;
  table: 'practitioner';
  /** What the number means, in words ("not payable as a practitioner service"). */
  meaning: string;
}

/** Everything about one code: `lookup()`'s answer. */
export interface CodeRecord extends Entry {
  /** The code as given. */
  query: string;
  found: true;
  release: string;
  /** From the top of the book down to the parent. */
  ancestors: Entry[];
  notes: Note[];
  /** Notes of the ancestors, nearest first (an Excludes1 at the category applies below it). */
  inheritedNotes: InheritedNotes[];
  childrenCount: number;
  /** What the code weighs on a claim on the date of service; absent when nothing. */
  flags?: CodeFlags;
  /** When the code needs a 7th character: the valid ones. */
  seventhCharacters: SeventhCharacter[];
  shortTitle?: string;
  /** `YYYY-MM-DD` */
  added?: string;
  effective?: string;
  terminatedOn?: string;
  /** HCPCS action code and its meaning. */
  action?: string;
  /** On CMS's list of "not otherwise classified" codes (HCPCS); present only when true. */
  notOtherwiseClassified?: true;
  /** The code's NCCI Medically Unlikely Edit for practitioner services (HCPCS Level II). */
  mue?: Mue;
  /**
   * `"ancestors"`: the code has no notes of its own and its ancestors' notes govern it
   * (a code new in ICD-10-CM FY2027, a release derived until its Tabular List is at hand).
   */
  notesFrom?: 'ancestors';
  /** Why the code is not billable, and what to do. */
  help: string | null;
  /** What `help` points to: children, 7th-character codes, the same code in another book. */
  candidates: Entry[];
  /** For an ICD-9-CM code: its translation into ICD-10. */
  crosswalk?: Crosswalk;
}

/** `validate()`'s answer. */
export interface Validation {
  /** A billable code of the system on the day of use. */
  valid: boolean;
  /** The code in its official form, when it exists. */
  code: string | null;
  /** Why it is not valid; `null` when valid. */
  reason: string | null;
  /** What to choose instead. */
  candidates: Entry[];
}

/** One release of a book that carries several (ICD-10-CM: FY2026 and FY2027). */
export interface ReleaseSummary {
  label: string;
  /** First and last date of service it is in force, `YYYY-MM-DD`. */
  from: string;
  to: string;
  records: number;
  billable: number;
  /** The release in force on the book's `today`. */
  inForce: boolean;
  /** What a derived release is made from (absent: its own official files). */
  derivedFrom?: string;
}

/** One loaded book. */
export interface SystemInfo {
  id: SystemId;
  name: string;
  fhirUri: string;
  /** The release in force on the book's `today`. */
  release: string;
  /** The date that release took effect, `YYYY-MM-DD` (null for a pack built without it). */
  effective: string | null;
  /** Every release the book carries, when more than one; the date of service chooses. */
  releases?: ReleaseSummary[];
  /** Who published the release. */
  publisher: string | null;
  legacy: boolean;
  counts: {
    records: number;
    billable: number;
    byKind: Partial<Record<Kind, number>>;
  };
  terms: number;
  bytes: number;
  sections: { name: string; bytes: number }[];
  /** The indexes whose words the search finds codes by (ICD-10-CM: the Alphabetic Index, derived FY2025, and the Table of Neoplasms). */
  indexes: { name: string; release: string; file: string; entries: number; derived: boolean }[];
}

export interface SearchOptions {
  /** Books to search (`"icd10cm"`, `["icd10cm", "hcpcs"]`, `"icd10cm hcpcs"`); default: all. */
  systems?: SystemId | SystemId[] | string;
  /** Most hits, 0–1000 (default 20). */
  limit?: number;
  /** Only complete, billable codes. */
  billableOnly?: boolean;
  /** Only below these codes, ranges (`E08-E13`) or chapters. */
  within?: string | string[];
  /**
   * Where the code is chosen. `"snf"` (skilled nursing facility, aftercare) puts an injury's
   * subsequent encounter (7th character D) before the initial encounter (A), the default
   * elsewhere.
   */
  setting?: Setting;
}

/** The care settings, by their product-wide names. */
export type Setting = 'outpatient' | 'inpatient' | 'snf' | 'dental';

export interface SuggestOptions {
  /** Books to suggest from; default: ICD-10-CM (when loaded). */
  systems?: SystemId | SystemId[] | string;
  /** Most suggestions, 0–200 (default 20). */
  limit?: number;
  /**
   * Where the note is written (default `"outpatient"`). An uncertain diagnosis ("likely CHF") is
   * coded as if established only `"inpatient"` (Official Guidelines II.H); elsewhere its signs and
   * symptoms are (IV.H).
   */
  setting?: Setting;
  /** Also return what was deliberately not coded (negated, hypothetical, uncertain), with its assertion. */
  includeAll?: boolean;
}

/** What the note says of a mention. */
export type Assertion = 'present' | 'negated' | 'uncertain' | 'historical' | 'family' | 'hypothetical';

/** Where a suggestion's words stand in the note: `note.slice(start, end) === text`. */
export interface Evidence {
  /** UTF-16 code units, as JS strings count. */
  start: number;
  end: number;
  text: string;
}

/** A code the note supports (or, with `includeAll`, a mention not coded). */
export interface Suggestion {
  system: SystemId;
  code: string;
  /** The code's official title. */
  display: string;
  billable: boolean;
  /** Orders one note's suggestions; means nothing across notes. */
  score: number;
  coding: Coding;
  /** `present`, or `family` / `historical` for the history Z codes they stand for; the others only with `includeAll`. */
  assertion: Assertion;
  /** A code to assign (the default list holds only these); `false` for what `includeAll` adds. An uncertain diagnosis is coded in the `inpatient` setting only. */
  coded: boolean;
  evidence: Evidence[];
  /**
   * The match, convention or guideline behind it (I11.0: hypertension with heart failure, linked
   * by the "with" convention), and the Tabular List's instructions between the suggested codes
   * ("use additional code to identify stage of chronic kidney disease (N18.1-N18.6): N18.31", or
   * ": not documented" when the note names none).
   */
  why: string;
}

/** A code for `check`: a string (routed by its shape, as `lookup` does) or a code of a named system. */
export type CodeToCheck = string | { system?: SystemId | string; code: string };

export interface CheckOptions {
  /** The principal diagnosis (default: the first diagnosis listed). */
  principal?: string;
  /** The date of service for this check (`"YYYY-MM-DD"` or a `Date`; default: the book's). */
  today?: string | Date;
  /** The patient's age in years (0 to 124), for the MCE age edits. */
  age?: number;
  /** The patient's sex (`F`, `M`, `female`, `male`; `U`: unknown), for the last published sex edit (informational). */
  sex?: string;
  /**
   * Where the care is given: `inpatient` adds the principal-diagnosis edits (unacceptable,
   * questionable admission) and CC/MCC findings; `snf` the PDPM findings; `dental` leaves out
   * HCC findings. The summary holds everything whatever the setting.
   */
  setting?: Setting;
}

/** One finding of `check`, citing its rule's source. */
export interface Finding {
  severity: 'error' | 'warning' | 'info';
  /**
   * A stable rule name: `not-a-code`, `not-billable`, `seventh-character`, `terminated`,
   * `no-release`, `excludes1`, `excludes2`, `code-first-missing`, `code-first-order`, `code-also-missing`,
   * `use-additional-missing`, `unspecified-beside-specific`, `read-as` (a code several books have,
   * read by its shape), `combination-code` (I10 with I50 is I11.0; E11.9 with N18 is E11.22),
   * `without-complications-beside-complication`; the MCE's `age-conflict`, `sex-conflict`, `manifestation-as-principal`,
   * `external-cause-as-principal`, `unacceptable-principal`, `requires-secondary`,
   * `questionable-admission`, `wrong-procedure`, `unspecified-code`; payment: `cc-mcc`, `hcc`,
   * `pdpm-nta`, `pdpm-slp`; `no-edit-tables`.
   */
  rule: string;
  codes: string[];
  message: string;
  /** Where the rule comes from ("ICD-10-CM Tabular List, Excludes1 at E11"). */
  source: string;
}

export interface CheckReport {
  /** Each code as given (the principal first when it was not among the codes). */
  given: string[];
  /** Each code as the books know it, in the order of `given`; `null` where no book has it. */
  codes: (Entry | null)[];
  /** Errors first, then warnings, then info. */
  findings: Finding[];
  /** What the set weighs on payment, whatever the setting. */
  summary: CheckSummary;
}

export interface CheckSummary {
  /** HCCs of the set; one a higher HCC of the set drops says which (`droppedBy`). */
  hcc: { hcc: number; label: string; codes: string[]; droppedBy?: number; condition?: string; source: string }[];
  /** Secondary diagnoses that are a CC or an MCC; `excluded` when the principal diagnosis excludes it. */
  ccMcc: { code: string; level: 'CC' | 'MCC'; excluded: boolean; source: string }[];
  /** PDPM comorbidities; NTA points are not computed (`note` says why). */
  pdpm: { nta: { comorbidity: string; codes: string[] }[]; slp: { comorbidity: string; codes: string[] }[]; note?: string };
}

export interface CodeBookOptions {
  /**
   * The date of service codes are judged on (`"YYYY-MM-DD"` or a `Date`; default: today, local
   * time). It chooses the release in force (ICD-10-CM FY2026 up to 2026-09-30, FY2027 from
   * 2026-10-01) and whether a HCPCS code is terminated.
   */
  today?: string | Date;
  /** Your licensed packs (CPT, CDT) built with `chartcode build --import-cpt`; kept for the page's life. */
  packs?: Uint8Array[];
}

/**
 * The code books embedded in this module (and any licensed packs you pass
 * in). Create one per page after `await init()`; every method is
 * synchronous and answers in well under a millisecond. Bad arguments throw
 * an `Error` whose message starts with `chartcode:`; the book stays usable.
 */
export class CodeBook {
  /** Opens every embedded pack; checks each one's checksums. */
  constructor(options?: CodeBookOptions);
  /** The loaded books: id, name, FHIR system URI, release and counts. */
  systems(): SystemInfo[];
  /**
   * Searches as the clinician types: words in any order (the last one a
   * prefix), abbreviations (`chf`), codes with or without the dot
   * (`e119`), a code to narrow the words (`diabetes e11`). Best first.
   */
  search(query: string, options?: SearchOptions): Hit[];
  /**
   * The codes a clinical note supports, best first, each with the words it came from. Negated
   * ("no chest pain"), hypothetical and (outside inpatient) uncertain mentions are not coded; a
   * relative's or past condition is its family- or personal-history Z code. Notes over 100,000
   * characters are refused with an `Error`.
   */
  suggest(text: string, options?: SuggestOptions): Suggestion[];
  /**
   * The coder's checks on a code set (the Tabular List's Excludes1/Excludes2, code first and use
   * additional code; 7th characters, headers, terminated codes and the release in force; the
   * Medicare Code Editor's age, sex and principal-diagnosis edits; CC/MCC, CMS-HCC and PDPM),
   * each finding citing its source. At most 1,000 codes; an age outside 0–124 throws.
   */
  check(codes: CodeToCheck[], options?: CheckOptions): CheckReport;
  /** Everything about one code (`E11.9`, `e119`, `0DTJ0ZZ`, `250.00`), or `null` when it is not a code. */
  lookup(code: string, system?: SystemId): CodeRecord | null;
  /** A code's children in book order (a PCS table: the next axis); no code: the top of every book; `null` when the code does not exist. */
  children(code?: string | null, system?: SystemId): Entry[] | null;
  /** Whether a code may be stored as it stands, and if not, why and what to choose instead. */
  validate(code: string, system: SystemId): Validation;
  /** The GEM crosswalk of a code into `toSystem`, or `null`. */
  map(code: string, toSystem: SystemId): Crosswalk | null;
  /** Changes the day codes are judged on. */
  setToday(date: string | Date): void;
  /** Frees the book's memory in the module (the packs stay). */
  free(): void;
  [Symbol.dispose](): void;
}

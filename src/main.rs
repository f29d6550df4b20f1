//! `chartcode`: build packs from the vendored code books, and look up,
//! browse, search and dump them from the command line.
//!
//! Exit status: 0 found, 1 not found, 2 bad usage or input. Errors are one
//! line on stderr.

mod builtin_books;

use builtin_books::PackSource;
use chartcode::compile;
use chartcode::search::{self, CodeBook, Lookup, SearchOptions};
use chartcode::{Kind, Pack};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
chartcode — medical code books, searched offline

Usage:
  chartcode build    [--codebooks DIR] [--out DIR]
  chartcode build    --import-cpt FILE | --import-cdt FILE [--out DIR]
  chartcode lookup   CODE [--system S] [--json]
  chartcode validate CODE --system S [--json]
  chartcode search   QUERY [--system S]... [--limit N] [--billable] [--within CODE]... [--setting S] [--json]
  chartcode children [CODE] [--system S] [--json]
  chartcode stats    [--json]
  chartcode dump     [--system S]
  chartcode map      CODE --to SYSTEM [--json]
  chartcode suggest  [TEXT | --file F | -] [--system S]... [--limit N] [--setting S] [--all] [--json]
  chartcode check    CODE... [--system S] [--principal CODE] [--age N] [--sex F|M] [--setting S] [--today DATE] [--json]
  chartcode eval     FILE... [--system S]... [--limit N] [--billable] [--setting S] [--misses N] [--typos] [--json]
  chartcode eval-suggest [--codiesp DIR]... [--negex FILE] [--setting S] [--limit N] [--json]

Options:
  --packs DIR      where packs are read from (default: $CHARTCODE_PACKS, else ./packs
                   if it holds packs, else the code books built into chartcode,
                   compiled once into ~/.cache/chartcode; `stats` says which)
  --codebooks DIR  where `build` reads sources (default: ./codebooks)
  --out DIR        where `build` writes packs (default: ./packs)
  --import-cpt FILE, --import-cdt FILE
                   build a pack from your licensed CPT (AMA) or CDT (ADA) data file
                   (code, tab or spaces, descriptor; UTF-8 or Latin-1); the pack
                   holds licensed content: keep it, do not redistribute it
  --system S       a code system id (icd10cm); repeat it to search several
  --within CODE    search only below a code, range (E08-E13) or chapter
  --to SYSTEM      the system `map` translates into (icd10cm, icd9cm, icd10pcs, icd9proc)
  --limit N        most hits (default 20, at most 1000)
  --billable       billable codes only
  --setting S      where the code is chosen: outpatient, inpatient, snf, dental
                   (snf: an injury's subsequent encounter, D, before the initial, A;
                   `suggest`: an uncertain diagnosis is coded only inpatient)
  --file F         `suggest`: read the note from a file (`-` or no TEXT: stdin)
  --all            `suggest`: also list what was not coded (negated, hypothetical,
                   uncertain) with its assertion
  --principal CODE `check`: the principal diagnosis (default: the first listed)
  --age N          `check`: the patient's age in years (0 to 124), for the MCE age edits
  --sex F|M        `check`: the patient's sex (U: unknown), for the last published sex edit
  --json           machine-readable output (field names are stable)
  --today DATE     the date of service, YYYY-MM-DD (default: today): it chooses
                   the release in force; a code terminated before it is not billable
  --codiesp DIR    `eval-suggest`: a CodiEsp split (holding SPLITD.tsv and text_files_en/):
                   mean average precision of the suggested codes against the gold
  --negex FILE     `eval-suggest`: the NegEx test set: negation precision and recall
  --misses N       `eval`: list the first N queries not answered at rank 1
  --typos          `eval`: each query with one typo (the middle letters of its
                   longest word swapped)

Exit status: 0 found, 1 not found, 2 bad usage or input.
";

/// Writes a line to stdout. A closed pipe (`chartcode dump | head`) ends the
/// program quietly; any other write error is reported.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            output_failed(e);
        }
    }};
}

fn output_failed(e: std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("chartcode: cannot write output: {e}");
    std::process::exit(2);
}

/// A failure that ends the command: exit 2 with one line on stderr.
struct Fail(String);

impl<E: std::fmt::Display> From<E> for Fail {
    fn from(e: E) -> Self {
        Fail(e.to_string())
    }
}

#[derive(Default)]
struct Args {
    command: String,
    positional: Vec<String>,
    packs: Option<PathBuf>,
    codebooks: Option<PathBuf>,
    out: Option<PathBuf>,
    systems: Vec<String>,
    within: Vec<String>,
    limit: Option<usize>,
    billable: bool,
    json: bool,
    today: Option<u32>,
    to: Option<String>,
    import_cpt: Option<PathBuf>,
    import_cdt: Option<PathBuf>,
    misses: Option<usize>,
    typos: bool,
    setting: Option<search::Setting>,
    file: Option<PathBuf>,
    all: bool,
    codiesp: Vec<PathBuf>,
    negex: Option<PathBuf>,
    principal: Option<String>,
    age: Option<i64>,
    sex: Option<chartcode::flags::Sex>,
}

fn parse_args() -> Result<Args, Fail> {
    use lexopt::prelude::*;
    let mut args = Args::default();
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("packs") => args.packs = Some(parser.value()?.into()),
            Long("codebooks") => args.codebooks = Some(parser.value()?.into()),
            Long("out") => args.out = Some(parser.value()?.into()),
            Long("system") => {
                // Repeated, or comma- or space-separated: --system icd10cm,hcpcs
                let v = parser.value()?.string()?;
                args.systems.extend(v.split([',', ' ']).filter(|s| !s.is_empty()).map(String::from));
            }
            Long("within") => args.within.push(parser.value()?.string()?),
            Long("limit") => {
                let v = parser.value()?.string()?;
                args.limit = Some(v.parse().map_err(|_| Fail(format!("--limit takes a whole number, not {v:?}")))?);
            }
            Long("billable") => args.billable = true,
            Long("all") => args.all = true,
            Long("principal") => args.principal = Some(parser.value()?.string()?),
            Long("age") => {
                let v = parser.value()?.string()?;
                args.age = Some(
                    v.trim().parse().map_err(|_| Fail(format!("--age takes a whole number of years, not {v:?}")))?,
                );
            }
            Long("sex") => {
                let v = parser.value()?.string()?;
                args.sex = chartcode::flags::Sex::parse(&v).map_err(|e| Fail(format!("--sex: {e}")))?;
            }
            Long("codiesp") => args.codiesp.push(parser.value()?.into()),
            Long("negex") => args.negex = Some(parser.value()?.into()),
            Long("file") => args.file = Some(parser.value()?.into()),
            Long("setting") => {
                let v = parser.value()?.string()?;
                args.setting = Some(search::Setting::parse(&v).ok_or_else(|| {
                    Fail(format!("--setting {v:?} is not a setting: one of {}", search::Setting::NAMES.join(", ")))
                })?);
            }
            Long("typos") => args.typos = true,
            Long("misses") => {
                let v = parser.value()?.string()?;
                args.misses = Some(v.parse().map_err(|_| Fail(format!("--misses takes a whole number, not {v:?}")))?);
            }
            Long("to") => args.to = Some(parser.value()?.string()?),
            Long("import-cpt") => args.import_cpt = Some(parser.value()?.into()),
            Long("import-cdt") => args.import_cdt = Some(parser.value()?.into()),
            Long("today") => {
                let v = parser.value()?.string()?;
                args.today = Some(
                    chartcode::dates::parse_iso(&v)
                        .ok_or_else(|| Fail(format!("--today takes a date YYYY-MM-DD, not {v:?}")))?,
                );
            }
            Long("json") => args.json = true,
            Short('h') | Long("help") => args.command = "help".into(),
            Short('V') | Long("version") => args.command = "version".into(),
            Value(v) if args.command.is_empty() => args.command = v.string()?,
            Value(v) => args.positional.push(v.string()?),
            _ => return Err(Fail(arg.unexpected().to_string())),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(Fail(msg)) => {
            eprintln!("chartcode: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode, Fail> {
    let args = parse_args()?;
    match args.command.as_str() {
        "help" => {
            outln!("{}", USAGE.trim_end());
            Ok(ExitCode::SUCCESS)
        }
        "version" => {
            outln!("chartcode {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        "build" => build(&args),
        "lookup" | "search" | "suggest" | "check" | "children" | "stats" | "dump" | "map" | "validate" | "eval"
        | "eval-suggest" => {
            let source = builtin_books::choose(args.packs.as_deref()).map_err(Fail)?;
            let dir = source.dir().to_path_buf();
            if let PackSource::BuiltIn { cache } = &source {
                builtin_books::ensure_built(cache).map_err(Fail)?;
            }
            // Each pack is read and opened once.
            let files = read_packs(&dir)?;
            // A damaged or incomplete built-in cache is built again, once.
            let complete = |n: usize| !matches!(source, PackSource::BuiltIn { .. }) || n == builtin_books::BOOK_COUNT;
            let retry;
            let opened = match (open_packs(&files), &source) {
                (Ok(opened), _) if complete(opened.len()) => opened,
                (_, PackSource::BuiltIn { cache }) => {
                    builtin_books::rebuild(cache).map_err(Fail)?;
                    retry = read_packs(&dir)?;
                    open_packs(&retry)?
                }
                (result, PackSource::Folder { .. }) => result?,
            };
            let pack_files: Vec<(&'static str, PathBuf)> =
                opened.iter().map(|(pack, path)| (pack.system().id, path.to_path_buf())).collect();
            let mut book = CodeBook::new(opened.into_iter().map(|(pack, _)| pack).collect())?;
            book.set_today(args.today.unwrap_or_else(today));
            match args.command.as_str() {
                "lookup" => lookup(&args, &book),
                "search" => search_cmd(&args, &book),
                "suggest" => suggest_cmd(&args, &book),
                "check" => check_cmd(&args, &book),
                "children" => children(&args, &book),
                "stats" => stats(&args, &book, &source, &pack_files),
                "validate" => validate(&args, &book),
                "map" => map(&args, &book),
                "eval" => eval(&args, &book),
                "eval-suggest" => eval_suggest(&args, &book),
                _ => dump(&args, &book),
            }
        }
        "" => Err(Fail("no command given; try `chartcode --help`".into())),
        other => Err(Fail(format!("unknown command {other:?}; try `chartcode --help`"))),
    }
}

/// Today's date (UTC) as `YYYYMMDD`, from the system clock.
fn today() -> u32 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    chartcode::dates::from_unix_days((secs / 86_400) as i64).unwrap_or(0)
}

/// Reads every `*.pack` of a directory, in name order.
fn read_packs(dir: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>, Fail> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Fail(format!("cannot read packs from {}: {e}; run `chartcode build` first, or give --packs DIR", dir.display()))
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pack"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(Fail(format!("no packs in {}; run `chartcode build` first, or give --packs DIR", dir.display())));
    }
    paths
        .into_iter()
        .map(|p| match std::fs::read(&p) {
            Ok(bytes) => Ok((p, bytes)),
            Err(e) => Err(Fail(format!("{}: {e}", p.display()))),
        })
        .collect()
}

/// Opens every pack read, each with its file (a pack that does not open
/// is named in the error).
fn open_packs(files: &[(PathBuf, Vec<u8>)]) -> Result<Vec<(Pack<'_>, &Path)>, Fail> {
    files
        .iter()
        .map(|(path, bytes)| {
            Pack::open(bytes).map(|pack| (pack, path.as_path())).map_err(|e| Fail(format!("{}: {e}", path.display())))
        })
        .collect()
}

fn one_positional<'a>(args: &'a Args, what: &str) -> Result<&'a str, Fail> {
    match args.positional.as_slice() {
        [one] => Ok(one),
        [] => Err(Fail(format!("`{}` needs a {what}", args.command))),
        _ => Err(Fail(format!("`{}` takes one {what}; quote it if it has spaces", args.command))),
    }
}

fn single_system(args: &Args) -> Result<Option<&str>, Fail> {
    match args.systems.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        _ => Err(Fail(format!("`{}` takes one --system", args.command))),
    }
}

fn print_json<T: Serialize>(value: &T) -> Result<(), Fail> {
    outln!("{}", serde_json::to_string(value)?);
    Ok(())
}

fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn build(args: &Args) -> Result<ExitCode, Fail> {
    if !args.positional.is_empty() {
        return Err(Fail("`build` takes no arguments besides --codebooks and --out".into()));
    }
    let codebooks = args.codebooks.clone().unwrap_or_else(|| PathBuf::from("codebooks"));
    let out = args.out.clone().unwrap_or_else(|| PathBuf::from("packs"));
    let imports: Vec<(compile::licensed::Licensed, &PathBuf)> = [
        (compile::licensed::Licensed::Cpt, args.import_cpt.as_ref()),
        (compile::licensed::Licensed::Cdt, args.import_cdt.as_ref()),
    ]
    .into_iter()
    .filter_map(|(l, p)| p.map(|p| (l, p)))
    .collect();
    let packs = if imports.is_empty() {
        compile::build_all(&codebooks)?
    } else {
        let mut packs = Vec::new();
        for (kind, path) in imports {
            let bytes = std::fs::read(path).map_err(|e| Fail(format!("{}: {e}", path.display())))?;
            let name =
                path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
            let book =
                compile::licensed::parse(&bytes, &path.display().to_string(), kind, &format!("imported from {name}"))?;
            packs.push(compile::BuiltPack {
                system: book.system,
                release: book.release.clone(),
                bytes: compile::writer::write_pack(&book)?,
            });
            eprintln!(
                "chartcode: {} holds licensed content from {name}: keep it with you, do not commit or redistribute it",
                book.system.name
            );
        }
        packs
    };
    let written = compile::write_packs(&out, &packs)?;
    for (built, path) in packs.iter().zip(&written) {
        let pack = Pack::open(&built.bytes)?;
        outln!(
            "{}  {} {}  {} records, {} billable  {} bytes",
            path.display(),
            pack.system().name,
            pack.release(),
            group(pack.records_in_force() as u64),
            group(pack.billable_count() as u64),
            group(pack.size() as u64)
        );
        for r in pack.releases() {
            outln!(
                "  {}  {} to {}  {} records, {} billable",
                r.label,
                chartcode::dates::iso(r.from),
                chartcode::dates::iso(r.to),
                group(u64::from(r.records)),
                group(u64::from(r.billable))
            );
        }
        outln!("  {:<8} {:>11}", "header", group(pack.header_len() as u64));
        for s in pack.sections() {
            outln!("  {:<8} {:>11}  {}", s.name(), group(s.len as u64), section_role(&s.name()));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn section_role(tag: &str) -> &'static str {
    match tag {
        "META" => "provenance",
        "RECS" => "record rows",
        "CODE" => "code → record (fst)",
        "WORD" => "text pieces",
        "TEXT" => "codes, titles, notes",
        "LABL" => "7th-character labels",
        "TERM" => "term dictionary (front-coded)",
        "POST" => "postings (record ids)",
        "PFLD" => "postings (fields)",
        "RLSE" => "releases by date of service",
        "CMPD" => "composed records",
        "LSET" => "compositions",
        "XWLK" => "crosswalk",
        "EDIT" => "claim edits, CC/MCC, HCC, PDPM",
        "TRMD" => "termination dates",
        _ => "",
    }
}

fn lookup(args: &Args, book: &CodeBook) -> Result<ExitCode, Fail> {
    let code = one_positional(args, "code")?;
    let result = book.lookup(code, single_system(args)?)?;
    if args.json {
        print_json(&result)?;
    } else {
        print_lookup(&result);
    }
    Ok(if result.record.is_some() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn billable_word(billable: bool) -> &'static str {
    if billable {
        "billable"
    } else {
        "not billable"
    }
}

fn print_lookup(l: &Lookup) {
    if let Some(r) = &l.record {
        outln!("{}  {}", r.entry.code, r.entry.title);
        outln!("  {} {} · {} · {}", r.entry.system, r.release, r.entry.kind.as_str(), billable_word(r.entry.billable));
        for (depth, a) in r.ancestors.iter().enumerate() {
            outln!("  {}{} {}", "  ".repeat(depth), a.code, a.title);
        }
        if r.not_otherwise_classified {
            outln!("  Not otherwise classified: the claim must describe the item or service");
        }
        if let Some(m) = &r.mue {
            outln!("  MUE (practitioner services): {} ({}; {}; {})", m.units, m.meaning, m.adjudication, m.rationale);
        }
        for n in &r.notes {
            outln!("  {}: {}", n.kind.heading(), n.text);
        }
        for inherited in &r.inherited_notes {
            for n in &inherited.notes {
                outln!("  ({}) {}: {}", inherited.code, n.kind.heading(), n.text);
            }
        }
    }
    if let Some(h) = &l.help {
        if l.record.is_some() {
            outln!("  {h}");
        } else {
            outln!("{}: {h}", l.query.trim());
        }
    }
    for c in &l.candidates {
        outln!("    {:<9} {}  [{}]", c.code, c.title, billable_word(c.billable));
    }
    if let Some(x) = &l.crosswalk {
        print_crosswalk(x);
    }
}

fn print_crosswalk(x: &search::Crosswalk) {
    let to = chartcode::CodeSystem::from_id(x.to).map_or(x.to, |s| s.name);
    outln!("  → {to} ({})", x.source);
    if let Some(n) = &x.note {
        outln!("    {n}");
    }
    for t in &x.targets {
        let mut flags = Vec::new();
        if t.approximate {
            flags.push("approximate".to_string());
        }
        if t.combination {
            flags.push(format!("combination: scenario {}, choice list {}", t.scenario, t.choice_list));
        }
        if let Some(v) = &t.refined_from {
            flags.push(format!("refined from {v}"));
        }
        if t.not_in_release {
            flags.push("not in the current release".into());
        }
        if t.no_map {
            outln!("    (no equivalent)");
            continue;
        }
        let flags = if flags.is_empty() { String::new() } else { format!("  [{}]", flags.join("; ")) };
        outln!("    {:<9} {}{flags}", t.code, t.title.as_deref().unwrap_or(""));
    }
}

fn map(args: &Args, book: &CodeBook) -> Result<ExitCode, Fail> {
    let code = one_positional(args, "code")?;
    let to = args
        .to
        .as_deref()
        .ok_or_else(|| Fail("`map` needs --to SYSTEM (icd10cm, icd9cm, icd10pcs, icd9proc)".into()))?;
    let Some(x) = book.map(code, to)? else {
        if args.json {
            outln!("null");
        }
        eprintln!("chartcode: no loaded crosswalk translates {code} into {to}");
        return Ok(ExitCode::from(1));
    };
    if args.json {
        print_json(&x)?;
    } else {
        let from = chartcode::CodeSystem::from_id(x.system).map_or(x.system, |s| s.name);
        outln!("{}  {}  ({from})", x.code, x.title.as_deref().unwrap_or(""));
        print_crosswalk(&x);
    }
    Ok(ExitCode::SUCCESS)
}

fn search_cmd(args: &Args, book: &CodeBook) -> Result<ExitCode, Fail> {
    let query = one_positional(args, "query")?;
    let options = SearchOptions {
        systems: args.systems.clone(),
        limit: args.limit.unwrap_or(search::DEFAULT_LIMIT),
        billable_only: args.billable,
        within: args.within.clone(),
        setting: args.setting,
    };
    let hits = book.search(query, &options)?;
    if args.json {
        print_json(&hits)?;
    } else {
        if let Some(via) = hits.iter().find_map(|h| h.via.as_ref().filter(|v| v.kind == "typo")) {
            eprintln!("showing results for {:?}", via.text);
        }
        for h in &hits {
            let marker = if h.entry.billable { "" } else { "  [not billable]" };
            outln!("{:<9} {}{marker}", h.entry.code, h.entry.title);
        }
        if hits.is_empty() {
            eprintln!("no codes match {query:?}");
        }
    }
    Ok(if hits.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `suggest [TEXT | --file F | -]`: the codes a note supports, best first.
fn suggest_cmd(args: &Args, book: &CodeBook) -> Result<ExitCode, Fail> {
    use std::io::Read as _;
    let note = match (&args.file, args.positional.as_slice()) {
        (Some(_), [_, ..]) => return Err(Fail("give the note as TEXT or --file F, not both".into())),
        (Some(path), []) if path.as_os_str() != "-" => {
            let bytes = std::fs::read(path).map_err(|e| Fail(format!("{}: {e}", path.display())))?;
            String::from_utf8(bytes).map_err(|_| Fail(format!("{}: not UTF-8 text", path.display())))?
        }
        (_, [text]) if text != "-" => text.clone(),
        (_, [] | [_]) => {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).map_err(|e| Fail(format!("cannot read stdin: {e}")))?;
            String::from_utf8(bytes).map_err(|_| Fail("stdin: not UTF-8 text".into()))?
        }
        _ => return Err(Fail("`suggest` takes one note: quote it, or use --file F".into())),
    };
    let options = chartcode::suggest::SuggestOptions {
        systems: args.systems.clone(),
        limit: args.limit.unwrap_or(chartcode::suggest::DEFAULT_SUGGEST_LIMIT),
        setting: args.setting.unwrap_or(search::Setting::Outpatient),
        include_all: args.all,
    };
    let suggestions = book.suggest(&note, &options)?;
    if args.json {
        print_json(&suggestions)?;
    } else {
        for s in &suggestions {
            let evidence: Vec<&str> = s.evidence.iter().map(|e| e.text.as_str()).collect();
            outln!("{:<9} {:<12} {}", s.entry.code, s.assertion.as_str(), s.entry.title);
            outln!("          {:?} · {}", evidence.join(" | "), s.why);
        }
        if suggestions.is_empty() {
            eprintln!("no codes suggested");
        }
    }
    Ok(if suggestions.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `check CODE...`: the coder's checks on a code set. Exit 0 with no
/// error finding, 1 with one, 2 on bad usage. A code goes to the book
/// `--system` names, else to the one whose codes look like it (J1100 is
/// HCPCS before ICD-10-CM J11.00, as `lookup` answers; the output says
/// which was taken).
fn check_cmd(args: &Args, book: &CodeBook) -> Result<ExitCode, Fail> {
    if args.positional.is_empty() {
        return Err(Fail("`check` needs one or more codes".into()));
    }
    let system = single_system(args)?;
    let codes: Vec<chartcode::check::CodeToCheck> = args
        .positional
        .iter()
        .map(|c| chartcode::check::CodeToCheck { system: system.map(str::to_string), code: c.clone() })
        .collect();
    let context = chartcode::check::CheckContext {
        principal: args.principal.clone(),
        age: args.age,
        sex: args.sex,
        setting: args.setting,
    };
    let report = book.check(&codes, &context)?;
    if args.json {
        print_json(&report)?;
    } else {
        for (given, entry) in report.given.iter().zip(&report.codes) {
            match entry {
                Some(e) => outln!("{:<9} {:<10} {}", e.code, e.system, e.title),
                None => outln!("{given:<9} {:<10} (not a code)", "-"),
            }
        }
        for f in &report.findings {
            let severity = match f.severity {
                chartcode::check::Severity::Error => "error",
                chartcode::check::Severity::Warning => "warning",
                chartcode::check::Severity::Info => "info",
            };
            outln!("{severity:<8} {:<28} {}", f.rule, f.message);
            outln!("         {:<28} source: {}", "", f.source);
        }
        if report.findings.is_empty() {
            outln!("no findings");
        }
        let s = &report.summary;
        if !s.hcc.is_empty() || !s.cc_mcc.is_empty() || !s.pdpm.nta.is_empty() || !s.pdpm.slp.is_empty() {
            outln!("summary");
        }
        for h in &s.hcc {
            let state = match (h.dropped_by, &h.condition) {
                (Some(by), _) => format!(" (dropped: HCC {by} ranks above)"),
                (None, Some(c)) => format!(" (if {c})"),
                _ => String::new(),
            };
            outln!("  HCC {:<4} {}{state}  [{}]", h.hcc, h.label, h.codes.join(", "));
        }
        for c in &s.cc_mcc {
            outln!(
                "  {:<8} {}{}",
                c.level,
                c.code,
                if c.excluded { " (excluded by the principal diagnosis)" } else { "" }
            );
        }
        for (what, list) in [("NTA", &s.pdpm.nta), ("SLP", &s.pdpm.slp)] {
            for g in list.iter() {
                outln!("  {what}      {}  [{}]", g.comorbidity, g.codes.join(", "));
            }
        }
    }
    Ok(if report.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `eval-suggest`: CodiEsp-D mean average precision of `suggest`, and the
/// assertion step's negation precision and recall on the NegEx test set.
fn eval_suggest(args: &Args, book: &CodeBook) -> Result<ExitCode, Fail> {
    if args.codiesp.is_empty() && args.negex.is_none() {
        return Err(Fail("`eval-suggest` needs --codiesp DIR and/or --negex FILE".into()));
    }
    let options = chartcode::suggest::SuggestOptions {
        systems: args.systems.clone(),
        limit: args.limit.unwrap_or(chartcode::suggest::DEFAULT_SUGGEST_LIMIT),
        setting: args.setting.unwrap_or(search::Setting::Outpatient),
        include_all: false,
    };
    let mut codiesp = Vec::new();
    for dir in &args.codiesp {
        codiesp.push((dir.display().to_string(), chartcode::eval::codiesp(book, dir, &options)?));
    }
    let negex = match &args.negex {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| Fail(format!("{}: {e}", path.display())))?;
            Some(chartcode::eval::negex(&text))
        }
        None => None,
    };
    if args.json {
        #[derive(Serialize)]
        struct Report<'a> {
            codiesp: &'a [(String, chartcode::eval::CodiespScore)],
            negex: &'a Option<chartcode::eval::NegexScore>,
        }
        return print_json(&Report { codiesp: &codiesp, negex: &negex }).map(|_| ExitCode::SUCCESS);
    }
    if !codiesp.is_empty() {
        outln!("| CodiEsp split | notes | MAP | MAP (categories) | precision | recall |");
        outln!("|---|---:|---:|---:|---:|---:|");
        for (dir, s) in &codiesp {
            outln!(
                "| {dir} | {} | {:.3} | {:.3} | {:.3} | {:.3} |",
                s.notes,
                s.map,
                s.map_categories,
                s.precision,
                s.recall
            );
        }
    }
    if let Some(n) = &negex {
        outln!();
        outln!("| NegEx test set | sentences | not found | negated right | wrongly | missed | precision | recall |");
        outln!("|---|---:|---:|---:|---:|---:|---:|---:|");
        outln!(
            "| negation | {} | {} | {} | {} | {} | {:.3} | {:.3} |",
            n.sentences,
            n.unmatched,
            n.true_negated,
            n.false_negated,
            n.missed_negated,
            n.precision,
            n.recall
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `eval FILE...`: recall@1, recall@k and MRR of each query set (the TSV
/// format of `../shared/data/eval`), as a markdown table; `--misses N`
/// lists the first N queries of each set not answered at rank 1.
fn eval(args: &Args, book: &CodeBook) -> Result<ExitCode, Fail> {
    if args.positional.is_empty() {
        return Err(Fail("`eval` needs one or more query files (TSV: query, expected_codes, source)".into()));
    }
    let options = SearchOptions {
        systems: args.systems.clone(),
        limit: args.limit.unwrap_or(10),
        billable_only: args.billable,
        within: args.within.clone(),
        setting: args.setting,
    };
    let mut rows = Vec::new();
    for file in &args.positional {
        let text = std::fs::read_to_string(file).map_err(|e| Fail(format!("{file}: {e}")))?;
        let mut cases = chartcode::eval::parse(&text, file).map_err(|e| Fail(e.to_string()))?;
        if args.typos {
            for c in &mut cases {
                c.query = chartcode::eval::with_typo(&c.query);
            }
        }
        let score = chartcode::eval::run(book, &cases, &options);
        rows.push((file.clone(), score));
    }
    if args.json {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Row<'r> {
            file: &'r str,
            queries: usize,
            recall_at_1: f64,
            recall_at_limit: f64,
            limit: usize,
            mrr: f64,
            errors: usize,
        }
        let out: Vec<Row> = rows
            .iter()
            .map(|(f, s)| Row {
                file: f,
                queries: s.queries,
                recall_at_1: s.recall_at_1(),
                recall_at_limit: s.recall_at_limit(),
                limit: s.limit,
                mrr: s.mrr(),
                errors: s.errors,
            })
            .collect();
        print_json(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let k = options.limit;
    outln!("| query set | queries | recall@1 | recall@{k} | MRR |");
    outln!("|---|---:|---:|---:|---:|");
    for (file, s) in &rows {
        let name = Path::new(file).file_name().map_or(file.clone(), |n| n.to_string_lossy().into_owned());
        outln!("| {name} | {} | {:.3} | {:.3} | {:.3} |", s.queries, s.recall_at_1(), s.recall_at_limit(), s.mrr());
    }
    if let Some(n) = args.misses {
        for (file, s) in &rows {
            outln!(
                "
{file}: not at rank 1 ({} of {})",
                s.misses.len(),
                s.queries
            );
            for m in s.misses.iter().take(n) {
                let rank = m.rank.map_or_else(|| format!("not in the first {k}"), |r| format!("at {r}"));
                outln!("  {:?}  want {}  {rank}  got {}", m.query, m.expected.join(","), m.got.join(" "));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn children(args: &Args, book: &CodeBook) -> Result<ExitCode, Fail> {
    let code = match args.positional.as_slice() {
        [] => None,
        [one] => Some(one.as_str()),
        _ => return Err(Fail("`children` takes at most one code".into())),
    };
    let Some(list) = book.children(code, single_system(args)?)? else {
        eprintln!("chartcode: {} is not a code; try `chartcode lookup {}`", code.unwrap_or(""), code.unwrap_or(""));
        return Ok(ExitCode::from(1));
    };
    if args.json {
        print_json(&list)?;
    } else {
        for c in &list {
            let marker = if c.billable { "" } else { "  [not billable]" };
            outln!("{:<9} {}{marker}", c.code, c.title);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn stats(
    args: &Args,
    book: &CodeBook,
    source: &PackSource,
    files: &[(&'static str, PathBuf)],
) -> Result<ExitCode, Fail> {
    let systems = book.systems()?;
    // The file each system's pack was read from.
    let file_of = |id: &str| files.iter().find(|(system, _)| *system == id).map(|(_, path)| path.clone());
    if args.json {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Loaded {
            #[serde(flatten)]
            info: search::SystemInfo,
            /// The pack file it was read from.
            file: Option<PathBuf>,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Stats {
            /// Where the packs came from.
            packs_from: String,
            systems: Vec<Loaded>,
        }
        let systems = systems.into_iter().map(|info| Loaded { file: file_of(info.id), info }).collect();
        print_json(&Stats { packs_from: source.describe(), systems })?;
    } else {
        outln!("packs from {}", source.describe());
        for s in &systems {
            outln!("{} ({})  {}", s.name, s.id, s.release);
            if let Some(effective) = &s.effective {
                outln!(
                    "  in force  from {effective}{}",
                    s.publisher.as_ref().map(|p| format!(" ({p})")).unwrap_or_default()
                );
            }
            for (i, r) in s.releases.iter().enumerate() {
                outln!(
                    "  {:<9} {}  {} to {}  {} billable{}",
                    if i == 0 { "releases" } else { "" },
                    r.label,
                    r.from,
                    r.to,
                    group(u64::from(r.billable)),
                    if r.in_force { "  (in force)" } else { "" }
                );
                if let Some(d) = &r.derived_from {
                    outln!("              derived from {d}");
                }
            }
            for (i, x) in s.indexes.iter().enumerate() {
                outln!(
                    "  {:<9} {} {} ({}{}, {} entries)",
                    if i == 0 { "indexes" } else { "" },
                    x.name,
                    x.release,
                    x.file,
                    if x.derived { ", derived" } else { "" },
                    group(u64::from(x.entries))
                );
            }
            if let Some(file) = file_of(s.id) {
                outln!("  file      {}", file.display());
            }
            outln!("  records   {:>9}", group(u64::from(s.counts.records)));
            outln!("  billable  {:>9}", group(u64::from(s.counts.billable)));
            for k in Kind::ALL {
                if let Some(n) = s.counts.by_kind.get(k.as_str()) {
                    outln!("  {:<9} {:>9}", k.as_str(), group(u64::from(*n)));
                }
            }
            outln!("  terms     {:>9}", group(s.terms as u64));
            outln!("  bytes     {:>9}", group(s.bytes as u64));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `validate CODE --system S`: exit 0 when the code may be used as it
/// stands, 1 when not (with the reason and what to choose instead).
fn validate(args: &Args, book: &CodeBook) -> Result<ExitCode, Fail> {
    let code = one_positional(args, "code")?;
    let system = single_system(args)?.ok_or_else(|| Fail("`validate` needs --system S".into()))?;
    let v = book.validate(code, system)?;
    if args.json {
        print_json(&v)?;
    } else {
        match (&v.code, &v.reason) {
            (Some(c), None) => outln!("{c}  valid"),
            (_, reason) => outln!("{}  not valid: {}", code.trim(), reason.as_deref().unwrap_or("")),
        }
        for c in &v.candidates {
            outln!("  {:<9} {}", c.code, c.title);
        }
    }
    Ok(if v.valid { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn dump(args: &Args, book: &CodeBook) -> Result<ExitCode, Fail> {
    if !args.positional.is_empty() {
        return Err(Fail("`dump` takes no arguments besides --system".into()));
    }
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    book.dump(single_system(args)?, |e| {
        let written = serde_json::to_writer(&mut out, &e).map_err(std::io::Error::from).and_then(|_| writeln!(out));
        if let Err(err) = written {
            output_failed(err);
        }
    })?;
    out.flush().unwrap_or_else(|e| output_failed(e));
    Ok(ExitCode::SUCCESS)
}

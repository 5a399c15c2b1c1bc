//! Tests of the whole sample: reproducibility, composition, and the files read
//! back with calamine as the ingest stage will read them.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

use super::*;

const FILES: [&str; 13] = [
    "roster.xlsx",
    "comments.xlsx",
    "boss.xlsx",
    "events.xlsx",
    "customers.xlsx",
    "projects.xlsx",
    "overrides.xlsx",
    "daily_log.xlsx",
    "monthly.xlsx",
    "customer_monthly.xlsx",
    "products.xlsx",
    "appraisal.toml",
    "appraise.schema.json",
];

fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook(path).expect("open workbook");
    let range = book.worksheet_range(name).expect("sheet");
    assert_eq!(range.start(), Some((0, 0)), "{name} starts at A1");
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        other => panic!("expected text, found {other:?}"),
    }
}

fn number(cell: &Data) -> f64 {
    match cell {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("expected a number, found {other:?}"),
    }
}

fn serial(cell: &Data) -> i64 {
    match cell {
        Data::DateTime(d) => d.as_f64() as i64,
        other => panic!("expected a date, found {other:?}"),
    }
}

/// A sample of `n` employees (10 account managers to 1 leader and 2 project managers).
fn sample(n: usize, seed: u64) -> (tempfile::TempDir, PathBuf, SampleSummary) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("branch");
    let summary = write(&out, n, seed).expect("sample written");
    (tmp, out, summary)
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let (_a, a, _) = sample(30, 7);
    let (_b, b, _) = sample(30, 7);
    let (_c, c, _) = sample(30, 8);
    // The scheme's comments name it from where it was written (issue 16).
    let read = |dir: &Path, file: &str| {
        let bytes = std::fs::read(dir.join(file)).expect("read");
        let own = dir.display().to_string();
        String::from_utf8_lossy(&bytes)
            .replace(&own, "DIR")
            .into_bytes()
    };
    for file in FILES {
        let bytes = read(&a, file);
        assert_eq!(bytes, read(&b, file), "{file}");
        if !matches!(file, "appraisal.toml" | "appraise.schema.json") {
            assert_ne!(bytes, read(&c, file), "{file}");
        }
    }
    // Nothing else is left in the directory or beside it.
    assert_eq!(std::fs::read_dir(&a).expect("dir").count(), FILES.len());
    assert_eq!(
        std::fs::read_dir(a.parent().expect("parent"))
            .expect("dir")
            .count(),
        1
    );
}

#[test]
fn composition_for_100_and_7() {
    let b = Branch::generate(100, 2024);
    assert_eq!(b.count(Role::AccountManager), 100);
    assert_eq!(b.count(Role::TeamLeader), 10);
    assert_eq!(b.count(Role::ProjectManager), 20);
    assert_eq!(b.teams.len(), 12);
    assert_eq!(b.teams[9].name, "政企十班");
    assert_eq!(b.teams[11].name, "信息化交付二组");
    assert!(b.teams[..10].iter().all(|t| t.members.len() == 10));
    assert_eq!(b.new_hires.len(), 2);
    assert!(
        (200..=600).contains(&b.customers.len()),
        "{}",
        b.customers.len()
    );
    assert_eq!(b.people[0].id, "HF00001");
    assert_eq!(b.people[0].role, Role::TeamLeader);

    let b = Branch::generate(7, 2024);
    assert_eq!(b.count(Role::AccountManager), 7);
    assert_eq!(b.count(Role::TeamLeader), 1);
    assert_eq!(b.count(Role::ProjectManager), 2);
    assert_eq!(b.new_hires.len(), 1);

    let b = Branch::generate(115, 1);
    assert_eq!(b.count(Role::TeamLeader), 12);
    assert_eq!(b.teams[10].name, "政企十一班");
    assert!(
        b.teams[..12]
            .iter()
            .all(|t| (9..=10).contains(&t.members.len()))
    );
    assert_eq!(b.count(Role::ProjectManager), 23);
}

#[test]
fn roster_reads_back() {
    let (_t, out, summary) = sample(130, 2024);
    assert_eq!(summary.account_managers, 100);
    let rows = sheet(&out.join("roster.xlsx"), "花名册");
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(header, ["工号", "姓名", "岗位", "班组", "部门", "入职日期"]);
    assert_eq!(rows.len(), 1 + 100 + 10 + 20);

    let mut ids = HashSet::new();
    let mut leaders = HashSet::new();
    let mut am_teams = HashSet::new();
    for row in &rows[1..] {
        let id = text(&row[0]);
        assert!(id.len() == 7 && id.starts_with("HF"), "{id}");
        assert!(ids.insert(id.clone()), "duplicate {id}");
        let n = text(&row[1]).chars().count();
        assert!((2..=4).contains(&n));
        let (role, team, dept) = (text(&row[2]), text(&row[3]), text(&row[4]));
        match role.as_str() {
            "客户经理" => {
                assert_eq!(dept, "集团客户部");
                am_teams.insert(team);
            }
            "班组长" => {
                assert_eq!(dept, "集团客户部");
                assert!(leaders.insert(team), "two leaders");
            }
            "信息化项目经理" => {
                assert_eq!(dept, "信息化交付中心");
                assert!(team.starts_with("信息化交付"), "{team}");
            }
            other => panic!("role {other}"),
        }
        let hired = serial(&row[5]);
        assert!((Day::ymd(2005, 1, 1).0..=Day::ymd(2024, 6, 30).0).contains(&hired));
    }
    assert_eq!(am_teams, leaders, "every AM team has one leader");
}

#[test]
fn boss_figures_blanks_and_team_sums() {
    let (_t, out, summary) = sample(130, 2024);
    let path = out.join("boss.xlsx");
    let am = sheet(&path, "客户经理指标");
    assert!(text(&am[0][0]).starts_with("2024年第三季度 客户经理业绩报表"));
    assert_eq!(text(&am[1][2]), "集团收入(万元)");
    assert_eq!(text(&am[1][12]), "ARPU(元)");
    assert_eq!(am.len(), 2 + 100);

    let roster = sheet(&out.join("roster.xlsx"), "花名册");
    let hired: HashMap<String, i64> = roster[1..]
        .iter()
        .map(|r| (text(&r[0]), serial(&r[5])))
        .collect();
    let team_of: HashMap<String, String> = roster[1..]
        .iter()
        .map(|r| (text(&r[0]), text(&r[3])))
        .collect();

    let mut blanks = Vec::new();
    let mut team_revenue: HashMap<String, i64> = HashMap::new();
    for row in &am[2..] {
        let id = text(&row[0]);
        let revenue = number(&row[2]);
        let cents = (revenue * 100.0).round();
        assert_eq!(cents / 100.0, revenue, "exact to 2 dp");
        assert!((80.0..=600.0).contains(&revenue));
        let target = number(&row[3]);
        assert_eq!(target.fract(), 0.0);
        assert!(
            revenue / target > 0.7 && revenue / target < 1.3,
            "{revenue} {target}"
        );
        *team_revenue.entry(team_of[&id].clone()).or_default() += cents as i64;
        for col in [7, 9, 10] {
            let v = number(&row[col]);
            assert_eq!((v * 10_000.0).round() / 10_000.0, v);
            assert!((0.0..=1.0).contains(&v));
        }
        assert!((20.0..=90.0).contains(&number(&row[11])));
        if row[8] == Data::Empty {
            assert!(hired[&id] >= Day::ymd(2024, 1, 1).0, "{id} is a 2024 hire");
            blanks.push(id);
        } else {
            assert!(hired[&id] < Day::ymd(2024, 1, 1).0);
            assert!((70.0..=99.9).contains(&number(&row[8])));
        }
    }
    assert_eq!(blanks, summary.satisfaction_blanks);
    assert_eq!(blanks.len(), 2);

    let pm = sheet(&path, "项目经理指标");
    assert_eq!(text(&pm[1][5]), "成本偏差率");
    assert_eq!(pm.len(), 2 + 20);

    let leaders = sheet(&path, "班组长指标");
    assert_eq!(text(&leaders[1][4]), "晨夕会执行率");
    assert_eq!(leaders.len(), 2 + 10);
    for row in &leaders[2..] {
        let team = &team_of[&text(&row[0])];
        assert_eq!((number(&row[2]) * 100.0).round() as i64, team_revenue[team]);
        assert!((0.0..=2.0).contains(&number(&row[5])));
    }
}

#[test]
fn events_and_customers_point_at_the_roster() {
    let (_t, out, summary) = sample(130, 2024);
    let roster = sheet(&out.join("roster.xlsx"), "花名册");
    let role: HashMap<String, String> = roster[1..]
        .iter()
        .map(|r| (text(&r[0]), text(&r[2])))
        .collect();

    let events = sheet(&out.join("events.xlsx"), "奖惩事件");
    assert_eq!(text(&events[0][3]), "事件类型");
    assert_eq!(events.len() - 1, summary.events);
    let mut last = (0, String::new());
    let mut violators = Vec::new();
    for row in &events[1..] {
        let id = text(&row[0]);
        assert_ne!(role[&id], "班组长", "{id}");
        let day = serial(&row[2]);
        assert!((PERIOD_START.0..=PERIOD_END.0).contains(&day));
        assert!((day, id.clone()) >= last, "sorted by date then id");
        last = (day, id.clone());
        let kind = text(&row[3]);
        assert!(
            [
                "集团客户表扬",
                "创新提案",
                "有效投诉",
                "服务差错",
                "合规违规"
            ]
            .contains(&kind.as_str())
        );
        if kind == "合规违规" {
            violators.push(id);
        }
        assert!((1.0..=3.0).contains(&number(&row[4])));
        assert!(!text(&row[5]).is_empty());
    }
    assert_eq!(violators, summary.violators);
    assert_eq!(violators.len(), 1);

    let customers = sheet(&out.join("customers.xlsx"), "集团客户");
    let header: Vec<String> = customers[0].iter().map(text).collect();
    assert_eq!(
        header,
        [
            "客户编码",
            "客户名称",
            "行业",
            "客户经理工号",
            "成员数",
            "关键人",
            "合同到期日"
        ]
    );
    assert_eq!(customers.len() - 1, summary.customers);
    let names: HashSet<String> = customers[1..].iter().map(|r| text(&r[1])).collect();
    assert_eq!(names.len(), summary.customers, "customer names are unique");
    for row in &customers[1..] {
        assert_eq!(role[&text(&row[3])], "客户经理");
    }
}

#[test]
fn scheme_points_at_the_sample() {
    let scheme = sample_scheme(SCHEME, "s/appraisal.toml")
        .expect("kpi-configs/hefei-2024q3.toml has the dir line");
    assert!(scheme.lines().any(|l| l == r#"dir = ".""#));
    assert!(!scheme.contains("../samples/2024Q3"));
    assert!(sample_scheme("[inputs]\ndir = \"elsewhere\"\n", "s/appraisal.toml").is_err());
    // issue 16: editors find the schema written beside it, and the commands
    // in its comments work from where the sample was written.
    assert_eq!(
        scheme.lines().next(),
        Some("#:schema ./appraise.schema.json")
    );
    assert!(scheme.contains("appraise run s/appraisal.toml"));
    assert!(!scheme.contains(COMMITTED_SCHEME));
}

#[test]
fn refuses_a_taken_directory() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join("keep.txt"), "x").expect("write");
    let err = write(tmp.path(), 10, 1).expect_err("refused");
    assert!(matches!(err, Error::Usage(_)), "{err:?}");
    assert!(err.to_string().contains("choose another --out"), "{err}");
    assert_eq!(err.exit_code(), crate::error::exit::USAGE);

    // An existing empty directory is fine.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    write(&empty, 3, 1).expect("written into an empty directory");
    assert!(empty.join("roster.xlsx").is_file());
}

/// Issue 7: a table longer than a sheet continues on `<name>2`, `<name>3`, …,
/// each with the same header; read one after the other they are the
/// unsplit table, row for row.
#[test]
fn a_table_longer_than_a_sheet_continues_on_numbered_sheets() {
    let (_a, whole, _) = sample(130, 5);
    let tmp = tempfile::tempdir().expect("tempdir");
    let split = tmp.path().join("split");
    // 1 000 rows per sheet: the 6 600 log rows need 7 sheets.
    write_split(&split, 130, 5, 1_000).expect("split sample written");

    let log = split.join(daily_log::FILE);
    let book: Xlsx<_> = open_workbook(&log).expect("open");
    let names = book.sheet_names();
    let expected: Vec<String> = std::iter::once("日行事例".to_string())
        .chain((2..=7).map(|k| format!("日行事例{k}")))
        .collect();
    assert_eq!(names, expected);

    let one = sheet(&whole.join(daily_log::FILE), daily_log::SHEET);
    assert_eq!(one.len(), 6_601);
    let mut joined = Vec::new();
    for name in &names {
        let part = sheet(&log, name);
        assert!(part.len() <= 1_000, "{name}: {} rows", part.len());
        assert_eq!(part[0], one[0], "{name} repeats the header");
        joined.extend(part.into_iter().skip(1));
    }
    assert_eq!(joined, one[1..]);

    // No sheet of any file is longer than the limit, and the files whose
    // sheets all fit are the same as unsplit.
    for file in FILES.iter().filter(|f| f.ends_with(".xlsx")) {
        let mut book: Xlsx<_> = open_workbook(split.join(file)).expect("open");
        for name in book.sheet_names() {
            let rows = book.worksheet_range(&name).expect("sheet").height();
            assert!(rows <= 1_000, "{file} [{name}]: {rows} rows");
        }
        let unsplit: Xlsx<_> = open_workbook(whole.join(file)).expect("open");
        let same = std::fs::read(split.join(file)).expect("read")
            == std::fs::read(whole.join(file)).expect("read");
        let fits = book.sheet_names() == unsplit.sheet_names();
        assert_eq!(same, fits, "{file}: {:?}", book.sheet_names());
    }
}

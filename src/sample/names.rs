//! Names for the sample: people, teams and group customers of a Hefei branch.
//!
//! Word lists are constants; every choice comes from the caller's [`Rng`], so
//! the names are as reproducible as the numbers.

use std::collections::{HashMap, HashSet};

use super::rng::Rng;

/// Common surnames, weighted by repetition, with a few two-character ones.
const SURNAMES: &[&str] = &[
    "王", "王", "王", "李", "李", "李", "张", "张", "张", "刘", "刘", "陈", "陈", "杨", "杨", "黄",
    "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢",
    "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋",
    "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟",
    "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "方", "储", "江", "查", "檀",
    "欧阳", "司马", "诸葛", "上官", "东方",
];

/// Characters common in given names.
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "辉", "鹏", "飞", "玲", "婷", "雪", "慧", "晨",
    "浩", "宇", "欣", "然", "子", "轩", "梓", "涵", "思", "雨", "佳", "琪", "文", "博", "俊", "凯",
    "建", "国", "志", "海", "峰", "亮", "斌", "云", "红", "燕", "萍", "颖", "倩", "瑶", "琳", "晶",
    "彬", "杨", "帆", "昊", "天", "一", "诺", "嘉", "怡", "晓", "东", "春", "秋", "冬", "松", "林",
    "成", "新", "荣", "宏", "立", "安", "皖", "庐", "淮", "徽", "德", "健", "丹", "阳", "蕾", "薇",
];

/// Digits for [`chinese_number`].
const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// A number written in Chinese as in team names: 1 → 一, 10 → 十, 11 → 十一,
/// 20 → 二十, 105 → 一百零五, 1010 → 一千零一十, 20000 → 二万.
pub fn chinese_number(n: u64) -> String {
    if n == 0 {
        return DIGITS[0].to_string();
    }
    let mut out = String::new();
    let high = n / 10_000;
    let low = n % 10_000;
    if high > 0 {
        out.push_str(&chinese_number(high));
        out.push('万');
        if low > 0 && low < 1000 {
            out.push('零');
        }
    }
    if low > 0 {
        out.push_str(&below_ten_thousand(low));
    }
    // 一十 → 十 at the start only (十一, but 一百一十).
    if let Some(rest) = out.strip_prefix("一十") {
        out = format!("十{rest}");
    }
    out
}

fn below_ten_thousand(n: u64) -> String {
    const UNITS: [&str; 4] = ["千", "百", "十", ""];
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let mut out = String::new();
    let mut pending_zero = false;
    for (d, unit) in digits.iter().zip(UNITS) {
        if *d == 0 {
            pending_zero = !out.is_empty();
            continue;
        }
        if pending_zero {
            out.push('零');
            pending_zero = false;
        }
        out.push_str(DIGITS[*d as usize]);
        out.push_str(unit);
    }
    out
}

/// `政企三班`.
pub fn am_team_name(index: usize) -> String {
    format!("政企{}班", chinese_number(index as u64 + 1))
}

/// `信息化交付二组`.
pub fn pm_team_name(index: usize) -> String {
    format!("信息化交付{}组", chinese_number(index as u64 + 1))
}

/// A 2- or 3-character (or, with a two-character surname, 3–4) person name.
pub fn person(rng: &mut Rng) -> String {
    let mut name = String::from(*rng.pick(SURNAMES));
    for _ in 0..if rng.chance(70) { 2 } else { 1 } {
        let given: &&str = rng.pick(GIVEN);
        name.push_str(given);
    }
    name
}

/// A person name not yet in `taken`, if one is found in a few tries; real
/// rosters do hold namesakes, so after that a repeat is accepted.
pub fn unique_person(rng: &mut Rng, taken: &mut HashSet<String>) -> String {
    let mut name = person(rng);
    for _ in 0..8 {
        if !taken.contains(&name) {
            break;
        }
        name = person(rng);
    }
    taken.insert(name.clone());
    name
}

/// Two-character trade names of Hefei companies.
const TRADE: &[&str] = &[
    "科大", "华信", "瑞丰", "鑫源", "恒通", "国元", "江淮", "徽商", "庐州", "巢湖", "天鹅", "包河",
    "蜀山", "新站", "滨湖", "长江", "淮河", "皖通", "中科", "量子", "智联", "云创", "讯飞", "星辰",
    "海恒", "正源", "同创", "德润", "金桥", "宏图", "明珠", "安泰", "荣盛", "嘉禾", "锦程", "万达",
    "东方", "四创", "美菱", "合力", "泰禾", "融创", "汇金", "新华", "维信", "博微", "华米", "易联",
    "数智", "联宝", "芯动", "晶合", "长鑫", "蔚来", "阳光", "国轩", "科森", "维天", "百川", "仁和",
];

const COMPANY_KIND: &[(&str, &str)] = &[
    ("科技有限公司", "信息技术"),
    ("信息技术有限公司", "信息技术"),
    ("智能制造有限公司", "制造业"),
    ("电子科技有限公司", "制造业"),
    ("物流有限公司", "交通物流"),
    ("商贸有限公司", "商贸零售"),
    ("建设工程有限公司", "建筑地产"),
    ("置业有限公司", "建筑地产"),
    ("医药有限公司", "医疗卫生"),
];

const GROUP_KIND: &[(&str, &str)] = &[
    ("集团", "制造业"),
    ("投资集团", "金融"),
    ("能源集团", "能源"),
    ("交通控股集团", "交通物流"),
    ("建工集团", "建筑地产"),
    ("商业集团", "商贸零售"),
    ("农垦集团", "农业"),
];

const DISTRICTS: &[&str] = &[
    "",
    "",
    "",
    "蜀山区",
    "包河区",
    "庐阳区",
    "瑶海区",
    "高新区",
    "经开区",
    "肥西县",
    "肥东县",
    "长丰县",
    "庐江县",
];

const BUREAUS: &[(&str, &str)] = &[
    ("教育局", "教育"),
    ("卫生健康委员会", "医疗卫生"),
    ("公安局", "政务"),
    ("交通运输局", "政务"),
    ("住房和城乡建设局", "政务"),
    ("市场监督管理局", "政务"),
    ("人力资源和社会保障局", "政务"),
    ("数据资源局", "政务"),
    ("税务局", "政务"),
    ("应急管理局", "政务"),
];

/// A group customer's name and its industry.
pub fn customer(rng: &mut Rng) -> (String, &'static str) {
    match rng.below(100) {
        0..=49 => {
            let (kind, industry) = rng.pick(COMPANY_KIND);
            (format!("合肥{}{kind}", rng.pick(TRADE)), industry)
        }
        50..=69 => {
            let (kind, industry) = rng.pick(GROUP_KIND);
            (format!("安徽省{}{kind}", rng.pick(TRADE)), industry)
        }
        70..=84 => {
            let (kind, industry) = rng.pick(BUREAUS);
            (format!("合肥市{}{kind}", rng.pick(DISTRICTS)), industry)
        }
        85..=92 => {
            let n = chinese_number(rng.range(1, 80) as u64);
            (format!("合肥市第{n}中学"), "教育")
        }
        _ => {
            let name = rng.pick(&[
                "仁和", "博爱", "康宁", "济民", "同仁", "华康", "安康", "明德",
            ]);
            let kind = rng.pick(&["医院", "中医院", "口腔医院", "妇幼保健院"]);
            (format!("合肥{name}{kind}"), "医疗卫生")
        }
    }
}

/// Hands out customer names that are unique within the branch.
#[derive(Debug, Default)]
pub struct CustomerNamer {
    taken: HashSet<String>,
    /// Per base name, how many branch offices it already has.
    offices: HashMap<String, u64>,
}

impl CustomerNamer {
    /// A few fresh draws; if all are taken, a branch office of the last one
    /// (`…肥西分公司`, then `…第十二分公司`), so any number of customers works.
    pub fn next(&mut self, rng: &mut Rng) -> (String, &'static str) {
        let mut drawn = customer(rng);
        for _ in 0..8 {
            if self.taken.insert(drawn.0.clone()) {
                return drawn;
            }
            drawn = customer(rng);
        }
        let (base, industry) = drawn;
        let counter = self.offices.entry(base.clone()).or_insert(0);
        loop {
            *counter += 1;
            let office = match OFFICES.get(*counter as usize - 1) {
                Some(place) => format!("{base}{place}分公司"),
                None => format!("{base}第{}分公司", chinese_number(*counter)),
            };
            if self.taken.insert(office.clone()) {
                return (office, industry);
            }
        }
    }
}

const OFFICES: &[&str] = &[
    "肥西", "肥东", "长丰", "庐江", "巢湖", "蜀山", "包河", "庐阳", "瑶海", "滨湖",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        let cases = [
            (1, "一"),
            (9, "九"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (21, "二十一"),
            (100, "一百"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1010, "一千零一十"),
            (1001, "一千零一"),
            (10_000, "一万"),
            (20_000, "二万"),
            (100_000, "十万"),
            (10_086, "一万零八十六"),
            (12_345, "一万二千三百四十五"),
        ];
        for (n, want) in cases {
            assert_eq!(chinese_number(n), want, "{n}");
        }
        assert_eq!(am_team_name(0), "政企一班");
        assert_eq!(am_team_name(10), "政企十一班");
        assert_eq!(pm_team_name(1), "信息化交付二组");
    }

    #[test]
    fn names_have_two_to_four_chars() {
        let mut rng = Rng::new(1);
        for _ in 0..500 {
            let n = person(&mut rng).chars().count();
            assert!((2..=4).contains(&n), "{n}");
        }
    }

    #[test]
    fn customer_names_stay_unique_past_the_word_lists() {
        let mut rng = Rng::new(1);
        let mut namer = CustomerNamer::default();
        let names: HashSet<String> = (0..20_000).map(|_| namer.next(&mut rng).0).collect();
        assert_eq!(names.len(), 20_000);
    }
}

//! systemd calendar expressions (`OnCalendar=`, systemd.time(7)), as NixOS passes
//! `system.autoUpgrade.dates` to the upgrade timer. NixOS does not check them when it
//! evaluates; a bad one only fails when the timer loads on the device, so nhos checks
//! them before anything is generated. Tested against `systemd-analyze calendar`.

/// Checks a calendar expression; the error says what is wrong with it.
pub fn check(expr: &str) -> Result<(), String> {
    if expr.chars().any(char::is_control) {
        return Err("the expression holds a control character".into());
    }
    let s = expr.trim();
    if s.is_empty() {
        return Err("the expression is empty".into());
    }
    const SHORTHANDS: &[&str] = &[
        "minutely",
        "hourly",
        "daily",
        "monthly",
        "weekly",
        "yearly",
        "annually",
        "quarterly",
        "semiannually",
    ];
    if SHORTHANDS.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        return Ok(());
    }
    let mut words: Vec<&str> = s.split_whitespace().collect();
    // A trailing time zone: UTC or an IANA name such as Europe/London.
    if let Some(last) = words.last()
        && words.len() > 1
        && is_time_zone(last)
    {
        words.pop();
    }
    if words.len() == 1 && SHORTHANDS.iter().any(|w| w.eq_ignore_ascii_case(words[0])) {
        return Ok(());
    }
    let mut i = 0;
    if let Some(w) = words.first()
        && w.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
    {
        weekdays(w)?;
        i = 1;
    }
    let rest = &words[i..];
    match rest {
        [] if i == 1 => Ok(()),
        [] => Err("the expression has no date, time or weekday".into()),
        [one] if one.contains(':') => time(one),
        [one] => date(one),
        [d, t] => {
            date(d)?;
            time(t)
        }
        _ => Err(format!(
            "unexpected `{}`: an expression is [weekdays] [date] [time] [time zone]",
            rest[2..].join(" ")
        )),
    }
}

fn is_time_zone(w: &str) -> bool {
    w == "UTC"
        || (w.contains('/')
            && w.split('/').all(|p| {
                !p.is_empty()
                    && p.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                    && p.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_-+".contains(c))
            }))
}

const DAYS: &[(&str, &str)] = &[
    ("mon", "monday"),
    ("tue", "tuesday"),
    ("wed", "wednesday"),
    ("thu", "thursday"),
    ("fri", "friday"),
    ("sat", "saturday"),
    ("sun", "sunday"),
];

fn weekday(w: &str) -> Result<usize, String> {
    let l = w.to_ascii_lowercase();
    DAYS.iter()
        .position(|(short, long)| l == *short || l == *long)
        .ok_or_else(|| format!("`{w}` is not a weekday (Mon … Sun)"))
}

fn weekdays(w: &str) -> Result<(), String> {
    for item in w.split(',') {
        if item.is_empty() {
            return Err(format!("empty item in weekdays `{w}`"));
        }
        match item.split_once("..") {
            Some((a, b)) => {
                weekday(a)?;
                weekday(b)?;
            }
            None => {
                // systemd also accepts `Mon-Fri`.
                match item.split_once('-') {
                    Some((a, b)) => {
                        weekday(a)?;
                        weekday(b)?;
                    }
                    None => {
                        weekday(item)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// One component: `*`, numbers, ranges `a..b`, repetitions `x/n`, lists `a,b`.
fn component(c: &str, what: &str, lo: u32, hi: u32, digits: usize) -> Result<(), String> {
    if c.is_empty() {
        return Err(format!("the {what} is empty"));
    }
    for item in c.split(',') {
        let (base, step) = match item.split_once('/') {
            Some((b, s)) => (b, Some(s)),
            None => (item, None),
        };
        if let Some(s) = step {
            let n: u32 = number(s, what, 0, u32::MAX, 10)?;
            if n == 0 {
                return Err(format!("the repetition `/{s}` in the {what} must not be 0"));
            }
        }
        if base == "*" {
            continue;
        }
        match base.split_once("..") {
            Some((a, b)) => {
                let a = number(a, what, lo, hi, digits)?;
                let b = number(b, what, lo, hi, digits)?;
                if a > b {
                    return Err(format!("the range `{base}` in the {what} runs backwards"));
                }
            }
            None => {
                number(base, what, lo, hi, digits)?;
            }
        }
    }
    Ok(())
}

fn number(s: &str, what: &str, lo: u32, hi: u32, digits: usize) -> Result<u32, String> {
    if s.is_empty() || s.len() > digits || !s.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("`{s}` is not a valid {what}"));
    }
    let n: u32 = s
        .parse()
        .map_err(|_| format!("`{s}` is not a valid {what}"))?;
    if !(lo..=hi).contains(&n) {
        return Err(format!("the {what} {n} is outside {lo}..{hi}"));
    }
    Ok(n)
}

fn date(d: &str) -> Result<(), String> {
    // `~` counts days back from the end of the month: `*-02~03`.
    let (head, last_day) = match d.split_once('~') {
        Some((h, day)) => (h, Some(day)),
        None => (d, None),
    };
    let parts: Vec<&str> = head.split('-').collect();
    match (parts.as_slice(), last_day) {
        ([y, m, day], None) => {
            component(y, "year", 1970, 2199, 4)?;
            component(m, "month", 1, 12, 2)?;
            component(day, "day", 1, 31, 2)
        }
        ([m, day], None) => {
            component(m, "month", 1, 12, 2)?;
            component(day, "day", 1, 31, 2)
        }
        ([y, m], Some(day)) => {
            component(y, "year", 1970, 2199, 4)?;
            component(m, "month", 1, 12, 2)?;
            component(day, "day", 1, 31, 2)
        }
        ([m], Some(day)) => {
            component(m, "month", 1, 12, 2)?;
            component(day, "day", 1, 31, 2)
        }
        _ => Err(format!(
            "`{d}` is not a date: write YYYY-MM-DD or MM-DD, with `*` for any"
        )),
    }
}

fn time(t: &str) -> Result<(), String> {
    let parts: Vec<&str> = t.split(':').collect();
    let (h, m, s) = match parts.as_slice() {
        [h, m] => (*h, *m, None),
        [h, m, s] => (*h, *m, Some(*s)),
        _ => return Err(format!("`{t}` is not a time: write HH:MM or HH:MM:SS")),
    };
    component(h, "hour", 0, 23, 2)?;
    component(m, "minute", 0, 59, 2)?;
    if let Some(s) = s {
        // Seconds may carry a fraction: 05.5
        let whole = match s.split_once('.') {
            Some((w, frac)) if !frac.is_empty() && frac.chars().all(|c| c.is_ascii_digit()) => w,
            Some(_) => return Err(format!("`{s}` is not a valid second")),
            None => s,
        };
        component(whole, "second", 0, 59, 2)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn accepts_what_systemd_accepts() {
        for ok in [
            "04:40",
            "daily",
            "Weekly",
            "*-*-* 04:40:00",
            "Mon..Fri 03:00",
            "Sat,Sun 22:30",
            "Mon-Fri *-*-* 02:00",
            "2027-01-01",
            "*-*-01 00:00",
            "*-02~03",
            "*-*-* *:0/15",
            "Mon 04:40 Europe/London",
            "04:40 UTC",
            "*:00:05.5",
            "Fri",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn refuses_nonsense_with_a_reason() {
        for bad in [
            "",
            "whenever I feel like it",
            "25:00",
            "04:60",
            "Funday 04:40",
            "*-13-01",
            "04:40\n",
            "*-*-* 03:00 04:00",
            "0/0:00",
            "5..3:00",
        ] {
            assert!(check(bad).is_err(), "{bad:?} should be refused");
        }
    }
}

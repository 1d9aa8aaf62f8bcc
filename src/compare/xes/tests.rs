use proptest::prelude::*;

use super::*;

fn read_str(text: &str) -> Result<Vec<XesTrace>, FileError> {
    XesReader::new(text.as_bytes(), Path::new("t.xes")).collect()
}

/// The scanner reading `bytes` at a time, and the old reader, on the same text.
fn both(
    text: &[u8],
    bytes: usize,
) -> (
    Result<Vec<XesTrace>, FileError>,
    Result<Vec<XesTrace>, FileError>,
) {
    let new = XesReader::new(text, Path::new("t.xes"))
        .reading(bytes)
        .collect();
    let old = oracle::XesReader::new(text, Path::new("t.xes")).collect();
    (new, old)
}

#[test]
fn sorts_stably_filters_lifecycle_and_skips_nested_attributes() {
    let log = r#"<?xml version="1.0"?>
<log xmlns="http://www.xes-standard.org/">
 <global scope="event"><string key="concept:name" value="__INVALID__"/></global>
 <string key="concept:name" value="the log"/>
 <trace>
  <string key="concept:name" value="c1"><string key="concept:name" value="nested"/></string>
  <event><string key="concept:name" value="b"/><date key="time:timestamp" value="2020-01-01T10:00:05+00:00"/></event>
  <event><string key="concept:name" value="a"/><date key="time:timestamp" value="2020-01-01T11:00:00+01:00"/>
    <list key="l"><values><string key="concept:name" value="in-list"/></values></list></event>
  <event><string key="concept:name" value="s"/><string key="lifecycle:transition" value="start"/><date key="time:timestamp" value="2020-01-01T10:00:01Z"/></event>
  <event><string key="concept:name" value="c"/><string key="lifecycle:transition" value="COMPLETE"/><date key="time:timestamp" value="2020-01-01T10:00:05.000+00:00"/></event>
 </trace>
 <trace><event><string key="concept:name" value="z"/></event></trace>
</log>"#;
    let traces = read_str(log).unwrap();
    assert_eq!(traces.len(), 2);
    assert_eq!(traces[0].case_id, "c1");
    assert_eq!(traces[0].activities(), ["a", "b", "c"]);
    assert_eq!(traces[0].events[1].number, 1);
    let observed = traces[0].observed();
    assert_eq!(observed[1].at_ms, Some(5000));
    assert_eq!(traces[1].case_id, "1");
    assert_eq!(traces[1].activities(), ["z"]);
    for bytes in [1, 2, 3, 7, 64] {
        let (new, old) = both(log.as_bytes(), bytes);
        assert_eq!(
            new.unwrap(),
            old.unwrap(),
            "reading {bytes} bytes at a time"
        );
    }
}

#[test]
fn timestamps_in_several_forms() {
    let base = parse_timestamp("2012-10-09T14:50:17+00:00").unwrap();
    assert_eq!(parse_timestamp("2012-10-09T14:50:17.000Z"), Some(base));
    assert_eq!(parse_timestamp("2012-10-09T16:50:17.000+02:00"), Some(base));
    assert_eq!(parse_timestamp("2012-10-09T14:50:17"), Some(base));
    assert_eq!(
        parse_timestamp("2012-10-09 14:50:17.5"),
        Some(base + 500_000)
    );
    assert_eq!(parse_timestamp("yesterday"), None);
    assert_eq!(base, 1_349_794_217_000_000);
}

proptest! {
    /// The hand-read common form gives chrono's instant, and leaves to chrono what it cannot
    /// read (the fields drawn past their ranges too).
    #[test]
    fn the_fast_timestamp_path_agrees_with_chrono(
        year in 0i64..10_000,
        month in 0i64..14,
        day in 0i64..33,
        hour in 0i64..25,
        minute in 0i64..61,
        second in 0i64..61,
        fraction in proptest::option::of("[0-9]{1,11}"),
        offset in prop_oneof![
            Just(String::new()),
            Just("Z".to_string()),
            (0i64..26, 0i64..61, any::<bool>()).prop_map(|(h, m, minus)| format!("{}{h:02}:{m:02}", if minus { '-' } else { '+' })),
        ],
    ) {
        let text = format!(
            "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{}{offset}",
            fraction.map(|f| format!(".{f}")).unwrap_or_default()
        );
        prop_assert_eq!(parse_timestamp(&text), parse_timestamp_with_chrono(&text), "{}", text);
    }

    /// The fast path's date cache, holding the date of an earlier stamp (the same day or
    /// another, valid or not: leap days, the days around 1970, zero bytes, any digits and
    /// dashes), gives what a fresh read gives, and chrono's instant.
    #[test]
    fn the_date_cache_changes_no_stamp(
        stamps in proptest::collection::vec(
            ("20(1[01]|00)-0[1-3]-(0[1-9]|[23][0-9])|[0-9]{4}-02-(2[89]|30)|19(69-12-31|70-01-01)|\\x00{10}|[0-9-]{10}", "[0-2][0-9]:[0-6][0-9]:[0-6][0-9]", "(\\.[0-9]{1,4})?(Z|[+-]0[0-2]:[03]0)?"),
            1..12,
        ),
    ) {
        let mut dates = DateCache::default();
        for (date, time, rest) in stamps {
            let text = format!("{date}T{time}{rest}\"");
            let cached = rfc3339_prefix(text.as_bytes(), &mut dates);
            let fresh = rfc3339_prefix(text.as_bytes(), &mut DateCache::default());
            prop_assert_eq!(cached, fresh, "{}", text);
            if let Some((_, len)) = cached {
                prop_assert_eq!(len, text.len() - 1, "{}", text);
                prop_assert_eq!(Some(cached.unwrap().0), parse_timestamp_with_chrono(&text[..len]), "{}", text);
            }
        }
    }
}

#[test]
fn the_fast_timestamp_path_reads_the_forms_of_real_logs() {
    for text in [
        "2011-09-30T22:38:44.546+02:00",
        "2011-09-30T22:38:44.546000+00:00",
        "2010-01-13T08:40:25.000Z",
        "1970-01-01T00:00:00.000+01:00",
        "2000-02-29T23:59:59.999999999-11:30",
        "1969-12-31T23:59:59.5Z",
        "2012-10-09T14:50:17",
    ] {
        assert!(rfc3339_micros(text.as_bytes()).is_some(), "{text}");
        assert_eq!(
            parse_timestamp(text),
            parse_timestamp_with_chrono(text),
            "{text}"
        );
    }
}

#[test]
fn comments_cdata_instructions_doctype_bom_quotes_escapes_and_prefixes() {
    let log = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\" ?>
<!DOCTYPE log [ <!ENTITY x \"y\"> <!-- > --> ]>
<!-- a comment with <trace> and > inside -->
<xes:log xmlns:xes=\"http://www.xes-standard.org/\">
  <?pi with > inside?>
  <xes:trace>
    <xes:string xes:key='concept:name' xes:value='case &amp; &#x41;&#66;'/>
    <![CDATA[ <event> ]]>
    <xes:event >
      <xes:string   key = \"concept:name\"
        value=\"line&#10;break\ttab and\nnewline &lt;x&gt; &quot;q&quot; &apos;\" />
      <xes:string key=\"lifecycle:transition\" value=\"complete\"></xes:string>
    </xes:event   >
    <xes:event><xes:string key=\"concept:name\" value=\"caf\u{e9} \u{6771}\u{4eac}\"/></xes:event>
  </xes:trace>
  <xes:trace/>
</xes:log>
";
    let traces = read_str(log).unwrap();
    assert_eq!(traces.len(), 2);
    assert_eq!(traces[0].case_id, "case & AB");
    assert_eq!(
        traces[0].activities(),
        ["line\nbreak tab and newline <x> \"q\" '", "café 東京"]
    );
    assert_eq!(traces[1].case_id, "1");
    assert!(traces[1].events.is_empty());
    for bytes in [1, 2, 5, 13, 1000] {
        let (new, old) = both(log.as_bytes(), bytes);
        assert_eq!(
            new.unwrap(),
            old.unwrap(),
            "reading {bytes} bytes at a time"
        );
    }
}

#[test]
fn malformed_xml_names_line_and_column() {
    let e = read_str("<log>\n<trace>\n  <event></trace>\n</log>").unwrap_err();
    assert!(e.message.contains("malformed XML"), "{e}");
    assert!(e.message.contains("</event>"), "{e}");
    assert_eq!(
        e.location.map(|l| l.line),
        None,
        "no file to re-read in this test"
    );
    let e = read_str("<html/>").unwrap_err();
    assert!(e.message.contains("<log>"), "{e}");
    let e = read_str(
        "<log><trace><event><date key=\"time:timestamp\" value=\"soon\"/></event></trace></log>",
    )
    .unwrap_err();
    assert!(e.message.contains("soon"), "{e}");
    for (text, says) in [
        ("<log><trace></log>", "expected `</trace>`"),
        ("<log></trace>", "expected `</log>`"),
        ("<log></log></log>", "closes no open element"),
        (
            "<log><trace><string key=concept:name/></trace></log>",
            "without quotes",
        ),
        (
            "<log><trace><string key=\"a\"value=\"b\"/></trace></log>",
            "white space",
        ),
        (
            "<log><trace><string key/></trace></log>",
            "without `=\"value\"`",
        ),
        // White space inside an attribute's name: `k` without a value, then `y`.
        (
            "<log><trace><string k y=\"concept:name\" value=\"a\"/></trace></log>",
            "without `=\"value\"`",
        ),
        (
            "<log><trace><event><string key=\"concept:name\" va\tlue=\"a\"/></event></trace></log>",
            "without `=\"value\"`",
        ),
        ("<log><!ELEMENT x></log>", "`<!`"),
        ("<log><trace", "ends inside"),
        ("<log><!-- no end", "ends inside"),
        ("<log>", "ends inside an element"),
        ("", "no <log>"),
        ("<log>\u{1}<trace>\u{ff}", ""),
        (
            "<log><trace><string key=\"concept:name\" value=\"&nope;\"/></trace></log>",
            "bad attribute value",
        ),
    ] {
        let e = read_str(text).expect_err(text);
        assert!(e.message.contains(says), "{text}: {e}");
    }
    // Not UTF-8: named at its place, after the traces before it.
    let mut bytes = b"<log><trace><string key=\"concept:name\" value=\"ok\"/></trace>\n<trace><string key=\"x\" value=\"".to_vec();
    bytes.extend_from_slice(b"\xff\"/></trace></log>");
    let out: Vec<_> = XesReader::new(&bytes[..], Path::new("t.xes")).collect();
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].as_ref().unwrap().case_id, "ok");
    let e = out[1].as_ref().unwrap_err();
    assert!(e.message.contains("not UTF-8"), "{e}");
}

#[test]
fn an_element_longer_than_the_bound_is_refused_where_it_starts() {
    let mut log = b"<log>\n<trace>\n<event>\n<string key=\"note\" value=\"".to_vec();
    log.resize(log.len() + MAX_ELEMENT_BYTES + 10, b'a');
    log.extend_from_slice(b"\"/></event></trace></log>\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.xes");
    std::fs::write(&path, &log).unwrap();
    let e = read_all(&path).unwrap_err();
    assert!(e.message.contains("longer than 16 MB"), "{e}");
    assert_eq!(e.location, Some(Location { line: 4, column: 1 }));
}

proptest! {
    /// The eight-at-a-time check finds exactly the bytes quick-xml normalises.
    #[test]
    fn the_normalising_check_is_exact(bytes in proptest::collection::vec(prop_oneof![Just(b'&'), Just(b'\t'), Just(b'\n'), Just(b'\r'), any::<u8>()], 0..40), clean in proptest::collection::vec(b' '..=b'~', 0..40)) {
        let slow = |b: &[u8]| b.iter().any(|c| matches!(c, b'&' | b'\t' | b'\n' | b'\r'));
        prop_assert_eq!(needs_normalising(&bytes), slow(&bytes));
        prop_assert_eq!(needs_normalising(&clean), slow(&clean));
    }
}

#[test]
fn a_plain_event_is_read_in_one_pass() {
    let text = b"\n  <event><string key=\"concept:name\" value=\"Triage\"/>\n<date value=\"2020-01-01T10:00:05.5+01:00\" key=\"time:timestamp\" />\t<string key=\"lifecycle:transition\" value=\"COMPLETE\"/><int key=\"n\" value=\"3\"/></event><trace>";
    let event = plain_event(text, &mut DateCache::default()).expect("the plain form");
    assert_eq!(event.activity, Some(&b"Triage"[..]));
    assert_eq!(event.timestamp_us, Some(1_577_869_205_500_000));
    assert!(event.complete);
    assert_eq!(&text[event.end..], b"<trace>");
    let start = b"<event><string key=\"concept:name\" value=\"a\"/><string key=\"lifecycle:transition\" value=\"start\"/></event>";
    assert!(
        !plain_event(start, &mut DateCache::default())
            .unwrap()
            .complete
    );
}

/// Every form the fast path leaves to the general one: nothing read, and the whole reader
/// still reads what the old reader reads (the same traces, or the same error at its place).
#[test]
fn an_event_not_of_the_plain_form_is_left_to_the_general_path() {
    let long = "x".repeat(MAX_VALUE_BYTES + 1);
    let events = [
        "<event><string key='concept:name' value='a'/></event>",
        "<event><string key=\"concept:name\" value=\"a &amp; b\"/></event>",
        "<event><string key=\"concept:name\" value=\"a\"/><!-- note --></event>",
        "<event><string xes:key=\"concept:name\" value=\"a\"/></event>",
        "<event><string key=\"concept:name\" value=\"a\"/><list key=\"l\"><values/></list></event>",
        "<event><string key=\"concept:name\" value=\"a\"/><date key=\"time:timestamp\" value=\"2020-01-01 10:00:00\"/></event>",
        "<event><string key = \"concept:name\" value=\"a\"/></event>",
        "<event><string key=\"concept:name\" value=\"a\"></string></event>",
        "<event><string key=\"concept:name\" value=\"a\"/>text</event>",
        "<event ><string key=\"concept:name\" value=\"a\"/></event>",
        "<event><string key=\"concept:name\" value=\"a\"/></event >",
        "<event><string key=\"time:timestamp\" value=\"2020-02-30T00:00:00\"/></event>",
        "<event><date key=\"time:timestamp\" value=\"2020-01-01T00:00:00Z\"/></event>",
        "<event></event>",
    ];
    let long_event = format!("<event><string key=\"concept:name\" value=\"{long}\"/></event>");
    // (Attributes not separated by white space are an error here, which quick-xml lets pass.)
    assert!(
        plain_event(
            b"<event><string key=\"concept:name\"value=\"a\"/></event>",
            &mut DateCache::default()
        )
        .is_none()
    );
    for event in events.iter().copied().chain([long_event.as_str()]) {
        // (An event without a name is read, then left to the general path to tell.)
        let read = plain_event(event.as_bytes(), &mut DateCache::default());
        assert!(read.is_none_or(|e| e.activity.is_none()), "{event}");
        let log = format!(
            "<log><trace>{event}<event><string key=\"concept:name\" value=\"b\"/></event></trace></log>"
        );
        let (new, old) = both(log.as_bytes(), 1 << 16);
        match (&new, &old) {
            (Ok(n), Ok(o)) => assert_eq!(n, o, "{event}"),
            (Err(n), Err(o)) => {
                assert_eq!(n.to_string(), o.to_string(), "{event}");
                assert_eq!(n.location, o.location, "{event}");
            }
            _ => panic!("{event}: {new:?} {old:?}"),
        }
    }
    // Cut by the end of the buffer: left for the general path, which reads on.
    let whole = b"<event><string key=\"concept:name\" value=\"a\"/></event>";
    for cut in 0..whole.len() {
        assert!(
            plain_event(&whole[..cut], &mut DateCache::default()).is_none(),
            "{cut}"
        );
    }
}

/// A date of ten zero bytes matched the empty date cache (all zero bytes) and was read as
/// 1970-01-01 by both paths, where the old reader refused it.
#[test]
fn a_stamp_whose_date_is_zero_bytes_is_no_date() {
    let stamp = "\0\0\0\0\0\0\0\0\0\0T00:00:00";
    assert_eq!(rfc3339_micros(stamp.as_bytes()), None);
    assert_eq!(parse_timestamp(stamp), None);
    let event = format!(
        "<event><date key=\"time:timestamp\" value=\"{stamp}\"/><string key=\"concept:name\" value=\"a\"/></event>"
    );
    assert!(plain_event(event.as_bytes(), &mut DateCache::default()).is_none());
    let log = format!("<log><trace>{event}</trace></log>");
    for bytes in [1, 7, 1 << 16] {
        let (new, old) = both(log.as_bytes(), bytes);
        let (new, old) = (new.unwrap_err(), old.unwrap_err());
        assert!(new.message.contains("is not a date and time"), "{new}");
        assert_eq!(new.message, old.message);
    }
}

/// Event forms for [`hostile_event_forms_read_as_the_old_reader_at_every_read_size`], with the
/// activity the fast path reads (`None`: left to the general path).
fn hostile_events() -> Vec<(String, Option<&'static str>)> {
    let name =
        |rest: &str| format!("<event><string key=\"concept:name\" value=\"a\"/>{rest}</event>");
    let stamp = |value: &str| name(&format!("<date key=\"time:timestamp\" value=\"{value}\"/>"));
    let cycle = |value: &str| {
        name(&format!(
            "<string key=\"lifecycle:transition\" value=\"{value}\"/>"
        ))
    };
    vec![
        (
            "<event><string value=\"v\" key=\"concept:name\"/></event>".into(),
            Some("v"),
        ),
        (
            "<event><string\r\n\tkey=\"concept:name\"\r\n value=\"v\"\n/>\r\n</event>".into(),
            Some("v"),
        ),
        (
            "<event><string key=\"concept:name\" value=\"\"/></event>".into(),
            Some(""),
        ),
        (
            "<event><string key=\"concept:name\" value=\"a>b</c/d\"/></event>".into(),
            Some("a>b</c/d"),
        ),
        (
            "<event><string key=\"concept:name\" value=\"a<trace>\"/></event>".into(),
            Some("a<trace>"),
        ),
        (
            "<event><string key=\"concept:name\"/></event>".into(),
            Some(""),
        ),
        (
            name("<string key=\"concept:name\" value=\"b\"/>"),
            Some("b"),
        ),
        (
            "<event><string key=\"concept:name\" value=\"caf\u{e9} \u{6771}\u{4eac}\"/></event>"
                .into(),
            Some("caf\u{e9} \u{6771}\u{4eac}"),
        ),
        (
            "<event><boolean key=\"concept:name\" value=\"true\"/></event>".into(),
            Some("true"),
        ),
        (
            "<event><string value=\"x\"/><string key=\"concept:name\" value=\"v\"/></event>".into(),
            Some("v"),
        ),
        (cycle("Complete"), Some("a")),
        (cycle("COMPLETE "), Some("a")),
        (cycle(" complete"), Some("a")),
        (stamp("2000-02-29T23:59:59.123456789-00:00"), Some("a")),
        (stamp("1969-12-31T23:59:59.5Z"), Some("a")),
        (stamp("0000-01-01T00:00:00+14:00"), Some("a")),
        (stamp("9999-12-31T23:59:59.999999999-11:30"), Some("a")),
        (stamp("1900-02-28T00:00:00"), Some("a")),
        (stamp("2000-01-01T00:00:00Z"), Some("a")),
        // Left to the general path (a stamp chrono decides, a key or value twice, an
        // attribute more), or an error both tell.
        (stamp("2000-02-29T23:59:59.1234567891+00:00"), None),
        (stamp("2016-12-31T23:59:60Z"), None),
        (stamp("1900-02-29T00:00:00Z"), None),
        (stamp("2000-01-01T24:00:00Z"), None),
        (stamp("10000-01-01T00:00:00Z"), None),
        (stamp("2000-01-01T00:00:00+01"), None),
        (stamp("2000-01-01T00:00:00+0100"), None),
        (stamp("2000-01-01T00:00:00.Z"), None),
        (stamp("2000-01-01t00:00:00z"), None),
        (name("<date key=\"time:timestamp\"/>"), None),
        (
            "<event><string key=\"concept:name\" value=\"a\" key=\"org:resource\"/></event>".into(),
            None,
        ),
        (
            "<event><string key=\"org:resource\" key=\"concept:name\" value=\"v\"/></event>".into(),
            None,
        ),
        (
            "<event><string key=\"concept:name\" value=\"a\" value=\"b\"/></event>".into(),
            None,
        ),
        (
            "<event><string key=\"concept:name\" value=\"a\" type=\"x\"/></event>".into(),
            None,
        ),
    ]
}

/// Events a writer or a hostile user may write, each after a plain event with a stamp (so the
/// date cache holds a neighbouring date), in a log with a byte-order mark and CRLF line ends,
/// read a few bytes at a time (so that every event is cut by the end of the buffer somewhere)
/// and at once: what the old reader reads, or its error, told on the event's line at the same
/// column whatever the read size. Those of the plain form are read by the fast path (`fast`:
/// the activity it reads), so both paths are compared on them.
#[test]
fn hostile_event_forms_read_as_the_old_reader_at_every_read_size() {
    // Refused by the scanner as malformed, which the old reader lets pass or refuses in its
    // own words (the fast path leaves them).
    let malformed = [
        "<event><string key=\"concept:name\" value=\"a\"/ ></event>",
        "<event><string key=\"concept:name\"value=\"a\"/></event>",
    ];
    let events = hostile_events()
        .into_iter()
        .chain(malformed.map(|e| (e.to_string(), None)));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xes");
    let mut differ = Vec::new();
    for (event, fast) in events {
        let read = plain_event(event.as_bytes(), &mut DateCache::default());
        assert_eq!(
            read.and_then(|e| e.activity)
                .map(|a| String::from_utf8(a.to_vec()).unwrap()),
            fast.map(str::to_string),
            "{event}"
        );
        let log = format!(
            "\u{feff}<log>\r\n<trace>\r\n<event><string key=\"concept:name\" value=\"z\"/><date key=\"time:timestamp\" value=\"2000-01-01T00:00:00Z\"/></event>\r\n{event}\r\n<event><string key=\"concept:name\" value=\"b\"/></event>\r\n</trace>\r\n</log>\r\n"
        );
        std::fs::write(&path, &log).unwrap();
        let old = oracle::read_all(&path);
        let is_malformed = malformed.contains(&event.as_str());
        let mut first_place = None;
        for bytes in (1..=40).chain([1 << 16]) {
            let new: Result<Vec<XesTrace>, FileError> =
                XesReader::new(std::fs::File::open(&path).unwrap(), &path)
                    .reading(bytes)
                    .collect();
            let same = match (&new, &old) {
                (Ok(n), Ok(o)) => n == o,
                (Err(n), Err(o)) if !is_malformed => n.message == o.message,
                (Err(n), _) => is_malformed && n.message.starts_with("malformed XML"),
                _ => false,
            };
            let place = new.as_ref().err().map(|e| e.location);
            let first_place = *first_place.get_or_insert(place);
            if !same || place != first_place || place.is_some_and(|l| l.is_none_or(|l| l.line != 4))
            {
                differ.push(format!(
                    "{event:?}, {bytes} bytes at a time:\nnew {new:?}\nold {old:?}"
                ));
                break;
            }
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

/// A byte that is not UTF-8 in an event of the plain form (in the activity, another value,
/// a stamp, after the event) or a character cut short: the fast path leaves it, and the error
/// names the same line and column however the file is cut into reads.
#[test]
fn a_byte_not_utf8_in_a_plain_event_is_told_at_its_place_at_every_read_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xes");
    let pieces: [(&[u8], usize); 7] = [
        (b"<event><string key=\"concept:name\" value=\"ab\xffc\"/></event>", 44),
        (b"<event><string key=\"concept:name\" value=\"caf\xc3\"/></event>", 45),
        (b"<event><string key=\"concept:name\" value=\"\xc0\xaf\"/></event>", 42),
        (b"<event><string key=\"concept:name\" value=\"\xed\xa0\x80\"/></event>", 42),
        (b"<event><string key=\"org:resource\" value=\"\xff\"/><string key=\"concept:name\" value=\"a\"/></event>", 42),
        (b"<event><date key=\"time:timestamp\" value=\"2000-01-01T00:00:00\xff\"/><string key=\"concept:name\" value=\"a\"/></event>", 61),
        (b"<event><string key=\"concept:name\" value=\"a\"/></event>\xff", 54),
    ];
    for (piece, column) in pieces {
        let mut log =
            b"<log>\n<trace>\n<event><string key=\"concept:name\" value=\"z\"/></event>\n".to_vec();
        log.extend_from_slice(piece);
        log.extend_from_slice(
            b"\n<event><string key=\"concept:name\" value=\"b\"/></event></trace></log>\n",
        );
        std::fs::write(&path, &log).unwrap();
        let text = String::from_utf8_lossy(piece);
        for bytes in (1..=24).chain([1 << 16]) {
            let read: Result<Vec<XesTrace>, FileError> =
                XesReader::new(std::fs::File::open(&path).unwrap(), &path)
                    .reading(bytes)
                    .collect();
            let e = read.expect_err(&text);
            assert!(e.message.contains("not UTF-8"), "{text}: {e}");
            assert_eq!(
                e.location,
                Some(Location { line: 4, column }),
                "{text}, {bytes} at a time"
            );
        }
    }
}

/// A byte that is not UTF-8 in text, then a malformed tag: the byte is told (it comes first),
/// whatever the read size; a large read told the tag instead, a small one the byte.
#[test]
fn a_bad_byte_in_text_is_told_before_a_malformed_tag_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xes");
    for (text, line, column) in [
        (&b"<log>\n<trace>\n\xff\n<string key=\"a\"value=\"b\"/></trace></log>"[..], 3, 1),
        (b"<log>\n<trace>\n<event><string key=\"concept:name\" value=\"a\"/> \xc3 <int key=\"n\" value=\"1\"x/></event></trace></log>", 3, 47),
        (b"<log>\n<trace>\n<event><string key=\"concept:name\" value=\"a\"/>\xff/event>\n<event key/></trace></log>", 3, 46),
    ] {
        std::fs::write(&path, text).unwrap();
        for bytes in (1..=30).chain([1 << 16]) {
            let read: Result<Vec<XesTrace>, FileError> =
                XesReader::new(std::fs::File::open(&path).unwrap(), &path)
                    .reading(bytes)
                    .collect();
            let e = read.unwrap_err();
            assert!(e.message.contains("not UTF-8"), "{bytes} at a time: {e}");
            assert_eq!(e.location, Some(Location { line, column }), "{bytes} at a time");
        }
    }
}

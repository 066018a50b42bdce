"""The hostile values the boundary sweep (boundary.py) and the storefront sweep (storefront.py) send."""
import json


def nested(depth, kind):
    if kind == "array":
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


# Text forms for query, path and header values; JSON texts for body values.
TEXT_VALUES = ["0", "-1", "2147483648", "9007199254740992", "9223372036854775807", "-9223372036854775808",
               "18446744073709551616", "1e308", "-1e308", "NaN", "Infinity", "", "x" * 4000, "%00", "../../etc/passwd",
               "true", "null", "[]", "\u202e\u0000"]
JSON_VALUES = ["0", "-1", "2147483648", "9007199254740992", "9223372036854775807", "-9223372036854775808",
               "18446744073709551616", "1e308", "-1e308", "1e-320", "0.1", '"NaN"', '"Infinity"', '""',
               json.dumps("x" * 200_000), "true", "null", "[]", "{}", '"abc"',
               nested(10, "array"), nested(100, "array"), nested(10_000, "array"),
               nested(10, "object"), nested(100, "object"), nested(10_000, "object")]

# Look-alike values: a mark that joins the next character into one grapheme (combining acute,
# the prepended concatenation marks U+0600-U+0605, ZWJ, RTL override) before each of < > " ' &,
# so an escaper working on Characters instead of Unicode scalars lets markup through. They go into
# every field like the values above; Tests/Boundary/lookalike.py then reads every HTML answer.
LOOKALIKE_MARKS = ["\u0301", "\u0600", "\u0601", "\u0602", "\u0603", "\u0604", "\u0605", "\u200d", "\u202e"]


def lookalike(mark, tag="lookalike"):
    return f"{mark}<i data-{tag}=1>{mark}\"{mark}'{mark}&amp;{mark}>"


LOOKALIKES = [lookalike(mark) for mark in LOOKALIKE_MARKS]
# Query, path and header values are never stored: three marks there, all nine in body fields.
TEXT_VALUES += [lookalike(mark) for mark in ["\u0301", "\u0600", "\u200d"]]
JSON_VALUES += [json.dumps(value) for value in LOOKALIKES]

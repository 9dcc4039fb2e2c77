"""JSON: an array of objects, one a prisoner, with the CSV's column names as keys; or an
object whose "prisoners" key holds that array (its other keys, such as "source", are
ignored). A prisoner is reported by the line its object starts on.

`articles` and `facility_address` may be arrays of strings; `birth_year` a number.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

from registry.formats.base import FileProblem, RecordProblem, Records

NAME = "json"
EXTENSIONS = (".json",)
_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"


class _Scanner:
    """Walks the text by hand between values, so that each object's position is known."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self._line, self._counted = text, 0, 1, 0

    def skip(self) -> str:
        while self.pos < len(self.text) and self.text[self.pos] in _SPACE:
            self.pos += 1
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def line(self) -> int:
        self._line += self.text.count("\n", self._counted, self.pos)
        self._counted = self.pos
        return self._line

    def value(self) -> object:
        try:
            value, self.pos = _DECODER.raw_decode(self.text, self.pos)
        except json.JSONDecodeError as exc:
            raise FileProblem(exc.lineno, _not_json(exc)) from None
        return value

    def expect(self, char: str) -> None:
        if self.skip() != char:
            raise FileProblem(self.line(), _("not valid JSON: expected %(char)s") % {"char": char})
        self.pos += 1


def _not_json(exc: json.JSONDecodeError) -> str:
    return _("not valid JSON (%(reason)s)") % {"reason": exc.msg}


def _find_array(scan: _Scanner) -> None:
    """Leave the scanner on the "[" of the prisoners' array."""
    first = scan.skip()
    if first == "[":
        return
    if first != "{":
        raise FileProblem(
            scan.line(), _('expected an array of prisoners, or an object with "prisoners"')
        )
    scan.pos += 1
    while True:
        if scan.skip() == "}":
            raise FileProblem(scan.line(), _('the object has no "prisoners" array'))
        key = scan.value()
        scan.expect(":")
        if key == "prisoners":
            if scan.skip() != "[":
                raise FileProblem(scan.line(), _('"prisoners" must be an array'))
            return
        scan.skip()
        scan.value()
        if scan.skip() == ",":
            scan.pos += 1


def records(data: bytes) -> Records:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(1, _("the file is not UTF-8 text")) from None
    try:
        json.loads(text)  # the whole file first: a broken file imports nothing, said once
    except json.JSONDecodeError as exc:
        raise FileProblem(exc.lineno, _not_json(exc)) from None
    scan = _Scanner(text)
    _find_array(scan)
    scan.pos += 1  # past "["
    if scan.skip() == "]":
        return
    while True:
        scan.skip()
        line = scan.line()
        item = scan.value()
        if isinstance(item, dict):
            yield line, item
        else:
            yield line, RecordProblem(_("expected an object with the prisoner's fields"))
        if scan.skip() == ",":
            scan.pos += 1
            continue
        return

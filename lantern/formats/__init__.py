"""Locale formats Lantern adds to or changes in Django's (FORMAT_MODULE_PATH).

`be`: Django ships Belarusian translations but no formats; these follow Belarusian usage
(CLDR): "2 снежня 2012", 1 234,5. `en`: the dateline reads "2 December 2012".
"""

"""Dates typed in forms are read year-month-day only, as the imports read them (compounds.resources.DayWidget).

Django's English formats read "01/02/2020" as 2 January, where a European curator means 1 February: a reference
value's effective date was saved a month off without a word. Shown dates keep Django's formats ("Jan. 2, 2020").
"""

DATE_INPUT_FORMATS = ["%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M", "%Y-%m-%d"]

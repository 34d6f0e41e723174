"""Outputs: the files a coordinator receives, written atomically.

The workbook writers (openpyxl, and a streaming writer for plain tables), the match workbook's
sheets, the blank application template, the board report (xlsx and html) and the introduction
outbox. May import `round` and every layer below it; never `cli`.
"""

"""Copy GOV.UK Frontend's stylesheet into the package, for `mentormatch serve` (run by hand to update it).

    npm pack govuk-frontend@6.6.0 && python scripts/vendor_govuk_frontend.py govuk-frontend-6.6.0.tgz

Only the compiled CSS is shipped, so installing mentormatch needs no build step. Its @font-face
rules are removed: the GDS Transport typeface is licensed for GOV.UK services only, so the page
falls back to the stylesheet's own second choice (Arial, then the system sans-serif). The crown
and the GOV.UK logotype are not used either, for the same reason.
"""

from __future__ import annotations

import re
import sys
import tarfile
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src" / "mentormatch" / "web" / "static"
LICENCE = """The MIT License (MIT)

Copyright (c) 2018 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def main(archive: str) -> None:
    with tarfile.open(archive) as tar:
        version = re.search(r'"version":\s*"([^"]+)"', tar.extractfile("package/package.json").read().decode())[1]  # type: ignore[union-attr,index]
        css = tar.extractfile("package/dist/govuk/govuk-frontend.min.css").read().decode()  # type: ignore[union-attr]
    css = re.sub(r"@font-face\{[^}]*\}", "", css)
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
    TARGET.mkdir(parents=True, exist_ok=True)
    (TARGET / "govuk-frontend.min.css").write_text(f"/* GOV.UK Frontend {version}, MIT licence: see LICENCE-govuk-frontend.txt */\n{css}",
                                                   encoding="utf-8")
    (TARGET / "LICENCE-govuk-frontend.txt").write_text(LICENCE, encoding="utf-8")
    print(f"GOV.UK Frontend {version} copied to {TARGET}")


if __name__ == "__main__":
    main(sys.argv[1])

"""What scripts/plot_run.py, plot_sweep.py, plot_compare.py and report.py share: the units
of metrics and scenario keys (for axis labels), number formatting for labels and ticks,
the short labels of a sweep's variants, and reading a comparison's tables. Standard library only, so it imports before the scripts
check for h5py, numpy and matplotlib.
"""

import math
import os
import re
import sys

try:
    import tomllib  # Python >= 3.11
except ImportError:  # older Pythons: the regular expressions below do
    tomllib = None

SYSTEM_PYTHON = "/usr/bin/python3"
REEXEC_MARKER = "CAMPAIGN_PLOT_REEXEC"  # set once we re-ran, so a failure cannot loop


def fail(prog, message, code=1):
    """One line `PROG: error: message` on stderr, and the exit status."""
    print(f"{prog}: error: {message}", file=sys.stderr)
    sys.exit(code)


def import_plotting(prog, script):
    """h5py, numpy, matplotlib.pyplot and matplotlib (headless). When another python3
    came first on PATH and lacks them, runs `script` again with Debian's /usr/bin/python3
    (once); else one line saying what to install."""
    try:
        import h5py
        import matplotlib
        import numpy

        matplotlib.use("Agg")  # headless: no display needed
        import matplotlib.colors
        import matplotlib.pyplot as pyplot
        import matplotlib.ticker
    except ImportError as error:
        already_system = os.path.abspath(sys.executable) == SYSTEM_PYTHON
        if os.path.exists(SYSTEM_PYTHON) and not already_system and not os.environ.get(REEXEC_MARKER):
            os.environ[REEXEC_MARKER] = "1"
            os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(script), *sys.argv[1:]])
        fail(prog, f"cannot import {error.name or error}: apt-get install python3-h5py python3-matplotlib "
             "python3-numpy (and run with /usr/bin/python3)", code=2)
    return h5py, numpy, pyplot, matplotlib


def _metric_units():
    """{metric: unit} from the metrics tables of docs/hdf5-layout.md, generated from the
    engine's one definition (engine/model/metrics.h) and kept equal to it by a test.
    "money" is the scenario's currency; a per-step metric counts one step's events; the
    mean of a 0/1 flag is a share of replications. {} when the file is not there."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "docs", "hdf5-layout.md")
    units = {}
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return units
    begin = text.find("<!-- generated: campaign-sim reference --metrics -->")
    end = text.find("<!-- end of generated -->")
    for line in text[begin:end].splitlines() if begin >= 0 and end > begin else []:
        cells = [cell.strip() for cell in line.split("|")[1:-1]]
        if len(cells) < 3 or not (cells[0].startswith("`") and cells[0].endswith("`")):
            continue
        name, unit = cells[0].strip("`"), cells[1]
        kind = cells[2] if len(cells) >= 4 else ""
        if kind == "per step":
            unit += " per step"
        elif kind == "flag":
            unit = "share of replications"
        units.setdefault(name, unit)
    return units


METRIC_UNITS = _metric_units()
MONEY_WORDS = ("revenue", "profit", "cost", "budget", "price", "spend", "cac", "cpl")
ACRONYMS = {"cpl": "CPL", "cac": "CAC", "roi": "ROI"}


IMAGE_FORMATS = (".png", ".svg", ".pdf")


def image_path_problem(path):
    """Why `path` cannot be the image to write, or None: its extension picks the format."""
    if os.path.isdir(path):
        return f"-o {path}: is a directory; name an image file ({', '.join(IMAGE_FORMATS)})"
    if os.path.splitext(path)[1].lower() not in IMAGE_FORMATS:
        return f"-o {path}: the extension picks the format; allowed: {', '.join(IMAGE_FORMATS)}"
    return None


def save_figure(prog, figure, path):
    """Writes the figure to `path` (its extension picks the format) and says so; one line
    and exit status 1 when it cannot."""
    problem = image_path_problem(path)
    if problem:
        fail(prog, problem)
    try:
        figure.savefig(path, dpi=150)
    except OSError as error:
        fail(prog, f"cannot write '{path}': {error.strerror or error}")
    print(f"wrote {path}")


def with_currency(unit, step_unit=None):
    """A unit as a reader sees it: money -> currency, "per step" -> "per week"."""
    if not unit:
        return unit
    unit = re.sub(r"\bmoney\b", "currency", unit)
    if step_unit:
        unit = re.sub(r"\bper step\b", f"per {step_unit}", unit)
        unit = {"steps": f"{step_unit}s", "step": step_unit}.get(unit, unit)
    return unit


def metric_unit(metric, step_unit=None):
    """The unit of a metric's value: the engine's table, else a guess from its name."""
    unit = METRIC_UNITS.get(metric)
    if unit is None:
        lowered = metric.lower()
        if any(word in lowered for word in MONEY_WORDS):
            unit = "money"
        elif any(word in lowered for word in ("roi", "ratio", "share", "rate")):
            unit = "ratio"
        else:
            unit = "people"
    return with_currency(unit, step_unit)


def metric_label(metric, step_unit=None):
    """'profit (currency)', 'CAC (currency per customer)', 'newly adopted (people per week)'."""
    name = ACRONYMS.get(metric, metric.replace("_", " "))
    unit = metric_unit(metric, step_unit)
    return f"{name} ({unit})" if unit else name


def key_units(script_dir=None):
    """{scenario key: unit} from docs/scenario-reference.md (generated by `campaign-sim
    reference`), next to scripts/; {} when the file is not there."""
    here = script_dir or os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, os.pardir, "docs", "scenario-reference.md")
    units = {}
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                cells = [cell.strip() for cell in line.split("|")]
                # | `key` | type | default | allowed | unit | meaning |
                if len(cells) >= 8 and cells[1].startswith("`") and cells[1].endswith("`"):
                    units[cells[1].strip("`")] = cells[5]
    except OSError:
        pass
    return units


def key_label(key, units, step_unit=None):
    """'agency.budget_per_step (currency per week)', or the key alone without a unit."""
    unit = with_currency(units.get(key, ""), step_unit)
    return f"{key} ({unit})" if unit else key


def format_number(value, digits=4, group_from=10_000):
    """A value for a label: 0.02, 0.1667, 8, 20,000, 1.5e-05; thousands are grouped from
    group_from on (1,000 for tick labels, 10,000 in names)."""
    if isinstance(value, (bytes, str)):
        return value.decode() if isinstance(value, bytes) else value
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}" if abs(value) >= group_from else str(int(value))
    if value != 0 and (abs(value) >= 1e6 or abs(value) < 1e-4):
        return f"{value:.{digits - 1}e}"
    text = f"{value:.{digits}g}"
    if "e" in text:  # %g chose an exponent for a value in range: write it out
        text = f"{value:f}".rstrip("0").rstrip(".")
    if abs(value) >= group_from:
        whole, _, fraction = text.partition(".")
        text = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    return text


def format_levels(values, group_from=1_000):
    """Labels for distinct values: the fewest significant digits (3 to 12) that keep them
    distinct, so 0.05:0.4:4 reads 0.05, 0.167, 0.283, 0.4."""
    values = list(values)
    for digits in range(3, 13):
        labels = [format_number(v, digits, group_from) for v in values]
        if len(set(labels)) == len(set(values)):
            return labels
    return [format_number(v, 15) for v in values]


def format_compact(value):
    """Three significant digits and a k/M suffix, for cells and annotations: -4.23k, 91, 0.183."""
    value = float(value)
    if not math.isfinite(value):
        return "–"
    magnitude = abs(value)
    for limit, scale, suffix in ((1e9, 1e9, "G"), (1e6, 1e6, "M"), (1e4, 1e3, "k")):
        if magnitude >= limit:
            return f"{value / scale:.3g}{suffix}".replace("-", "−")
    if magnitude >= 1000:  # 1,000 .. 9,999: all four digits
        text = f"{value:,.0f}"
    elif magnitude >= 1e-3 or value == 0:
        text = f"{value:.3g}"
    else:
        text = f"{value:.1e}"
    return text.replace("-", "−")


def short_keys(keys):
    """A short name per varied key: its last part (diffusion.transmission -> transmission),
    or the whole key where two keys would share the short name."""
    tails = [key.rsplit(".", 1)[-1] for key in keys]
    return [tail if tails.count(tail) == 1 else key for key, tail in zip(keys, tails)]


def parse_toml(text):
    """A dict from TOML text, or None without tomllib or on a parse error."""
    if tomllib is None:
        return None
    try:
        return tomllib.loads(text)
    except ValueError:
        return None


def toml_value(text, section, key):
    """One value of a TOML text: tomllib, or a regular expression on older Pythons."""
    parsed = parse_toml(text)
    if parsed is not None:
        return parsed.get(section, {}).get(key)
    block = re.search(rf"^\[{re.escape(section)}\]\s*$(.*?)(?=^\[|\Z)", text, re.MULTILINE | re.DOTALL)
    if not block:
        return None
    match = re.search(rf"""^\s*{re.escape(key)}\s*=\s*(.+?)\s*$""", block.group(1), re.MULTILINE)
    if not match:
        return None
    raw = match.group(1).split("#", 1)[0].strip()
    if raw[:1] in "\"'":
        return raw.strip("\"'")
    try:
        return int(raw)
    except ValueError:
        try:
            return float(raw)
        except ValueError:
            return raw


def text(value):
    """An HDF5 string (bytes) or attribute as str."""
    return value.decode() if isinstance(value, bytes) else str(value)


def constraint_eligible(compare, variants):
    """{variant: False where it fails a --constraint} from an open /compare group."""
    eligible = {v: True for v in variants}
    if "constraints" in compare:
        for r in compare["constraints"][()]:
            if not r["meets"]:
                eligible[text(r["variant"])] = False
    return eligible

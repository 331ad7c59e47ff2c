#!/usr/bin/env python3
"""Checks that the man pages say what the binary does.

    check_man.py <cohortmatch binary> <built man folder> <docs/man folder>

For `cohortmatch --help` and every command's `--help`:
  - every command has a page source docs/man/cohortmatch-<command>.1.md and a built page,
    listed in cohortmatch(1)'s COMMANDS with --help's description; every page source names a command (or is
    cohortmatch.1 or a section-5 page);
  - the options of the help (short and long forms) are exactly the option terms of the
    built page, both ways;
  - the page's SYNOPSIS is the help's "Usage:" line(s).
  - for a command with --input-format: the formats its --help lists (in the parentheses of
    the option's description), the formats its error message for an unknown value names
    (made from the binary's format table) and the formats the page's definition of the
    option names (as code) are the same set.
Every problem is printed as "page: what differs"; exit status 1 when there is one.
The pages are built from docs/ (man.lua), so this also holds docs/ to --help.
"""
import os
import re
import subprocess
import sys

# An option line of a --help: up to 8 spaces, then "-x, --long" or "--long" (the
# continuation lines of a description are indented further).
HELP_OPTION = re.compile(r"^\s{1,8}(?:(-[A-Za-z0-9]), )?(--[a-z][a-z0-9-]*)")
# Options named in a page's term: "-x, --long ARG" or "--long ARG", several per term.
TERM_OPTION = re.compile(r"(?<![\w-])(?:(-[A-Za-z0-9]), )?(--[a-z][a-z0-9-]*)")


def run_help(binary, *args):
    result = subprocess.run([binary, *args, "--help"], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"check_man.py: {binary} {' '.join(args)} --help exited {result.returncode}")
    return result.stdout


def help_options(text):
    options = set()
    for line in text.splitlines():
        match = HELP_OPTION.match(line)
        if match:
            options.add((match.group(1), match.group(2)))
    return options


def help_usage(text):
    """The usage lines of a --help: the "Usage:" line and the lines under it that start in
    the same column, each with its blanks collapsed."""
    lines, column = [], None
    for line in text.splitlines():
        if column is None and line.startswith("Usage:"):
            column = len(line) - len(line[len("Usage:"):].lstrip())
            lines.append(" ".join(line.split()[1:]))
        elif column is not None:
            if not line[:column].strip() and line[column:column + 1].strip():
                lines.append(" ".join(line.split()))
            else:
                break
    return lines


def help_commands(text):
    """The commands of the main --help: name -> its one-line description."""
    commands, inside = {}, False
    for line in text.splitlines():
        if line.startswith("Commands:"):
            inside = True
        elif inside and not line.strip():
            break
        elif inside:
            name, _, about = line.strip().partition(" ")
            commands[name] = " ".join(about.split())
    return commands


def roff_text(line):
    """The text of a roff line without font changes and escapes."""
    line = re.sub(r"\\f(\[[^\]]*\]|\(..|.)", "", line)
    line = line.replace("\\-", "-").replace("\\[cq]", "'").replace("\\ ", " ")
    line = line.replace("\\&", "").replace("\\[en]", "-").replace("\\[em]", "-")
    return line


def read_page(path):
    """Returns the page's sections: name -> list of text lines, and the terms of its
    definition lists (the line after each .TP) per section."""
    sections, terms, name, after_tp = {}, {}, None, False
    with open(path, encoding="utf-8") as f:
        for raw in f:
            raw = raw.rstrip("\n")
            if raw.startswith(".SH "):
                name = roff_text(raw[4:]).strip('"')
                sections[name], terms[name] = [], []
                continue
            if raw == ".TP":
                after_tp = True
                continue
            if name is None or raw.startswith(".") or raw.startswith("'"):
                continue
            text = roff_text(raw)
            sections[name].append(text)
            if after_tp:
                terms[name].append(text)
                after_tp = False
    return sections, terms


def page_options(terms):
    options = set()
    for section_terms in terms.values():
        for term in section_terms:
            if term.startswith("-"):
                for match in TERM_OPTION.finditer(term):
                    options.add((match.group(1), match.group(2)))
    return options


def show(option):
    short, long = option
    return f"{short}, {long}" if short else long


def help_input_formats(text):
    """The formats a --help lists for --input-format: the words in the parentheses of the
    option's description (it may go on over the next lines), without the prose ("a cohort:")."""
    lines, inside = [], False
    for line in text.splitlines():
        match = HELP_OPTION.match(line)
        if match:
            inside = match.group(2) == "--input-format"
        elif not line.strip():
            inside = False
        if inside:
            lines.append(line)
    found = re.search(r"\(([^)]*)\)", " ".join(lines))
    if not found:
        return None
    words = re.findall(r"[a-z0-9][a-z0-9-]*:?", found.group(1))
    return {word for word in words if not word.endswith(":") and word not in ("a", "or")}


def error_input_formats(binary, command):
    """The formats named by the command's error for an unknown --input-format value."""
    result = subprocess.run([binary, command, "--input-format", "no-such-format", "x"],
                            capture_output=True, text=True)
    found = re.search(r"--input-format takes (.*), not 'no-such-format'", result.stderr)
    if result.returncode == 0 or not found:
        return None
    return set(re.split(r", | or ", found.group(1)))


def page_input_formats(path):
    """The formats (code spans) in the page's definition of --input-format."""
    names, inside, after_tp = set(), False, False
    with open(path, encoding="utf-8") as f:
        for raw in f:
            raw = raw.rstrip("\n")
            term, after_tp = after_tp, raw == ".TP"
            if raw.startswith(".TP") or raw.startswith(".SH") or raw.startswith(".RS"):
                inside = False
            elif term:  # the term of a definition: is it --input-format's?
                inside = "input-format" in roff_text(raw)
            elif inside:
                names.update(re.findall(r"\\f\[V\]([a-z0-9][a-z0-9\\-]*)\\f\[R\]", raw))
    return {name.replace("\\-", "-") for name in names} or None


def compare_input_formats(binary, command, page, text, path, problems):
    from_help = help_input_formats(text)
    if from_help is None and "--input-format" not in text:
        return
    from_error = error_input_formats(binary, command)
    from_page = page_input_formats(path)
    if from_error is None:
        problems.append(f"{page}: '{command} --input-format no-such-format' names no formats")
        return
    for what, names in (("--help", from_help), ("the page", from_page)):
        if names is None:
            problems.append(f"{page}: {what} lists no --input-format values")
        elif names != from_error:
            problems.append(f"{page}: {what} lists --input-format values {sorted(names)}, the "
                            f"binary takes {sorted(from_error)}")


def compare_options(page, from_help, from_page, problems):
    for option in sorted(from_help - from_page, key=show):
        problems.append(f"{page}: option {show(option)} is in --help but not in the page")
    for option in sorted(from_page - from_help, key=show):
        problems.append(f"{page}: option {show(option)} is in the page but not in --help")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    binary, built, sources = sys.argv[1:]
    problems = []

    main_help = run_help(binary)
    commands = help_commands(main_help)
    if not commands:
        problems.append("cohortmatch --help: no commands found under 'Commands:'")

    main_page = os.path.join(built, "cohortmatch.1")
    if not os.path.exists(main_page):
        problems.append(f"cohortmatch.1: not built ({main_page})")
    else:
        sections, terms = read_page(main_page)
        compare_options("cohortmatch.1", help_options(main_help), page_options(terms), problems)
        listed = " ".join(" ".join(sections.get("COMMANDS", [])).split())
        for command, about in commands.items():
            if f"cohortmatch-{command}(1) {about}" not in listed:
                problems.append(f"cohortmatch.1: COMMANDS does not list 'cohortmatch-{command}(1)'"
                                f" with --help's words '{about}'")

    for command in commands:
        page = f"cohortmatch-{command}.1"
        if not os.path.exists(os.path.join(sources, page + ".md")):
            problems.append(f"{page}: command '{command}' has no page (docs/man/{page}.md)")
            continue
        path = os.path.join(built, page)
        if not os.path.exists(path):
            problems.append(f"{page}: not built ({path})")
            continue
        text = run_help(binary, command)
        sections, terms = read_page(path)
        compare_options(page, help_options(text), page_options(terms), problems)
        compare_input_formats(binary, command, page, text, path, problems)
        synopsis = [" ".join(line.split()) for line in sections.get("SYNOPSIS", []) if line.strip()]
        usage = help_usage(text)
        if synopsis != usage:
            problems.append(f"{page}: SYNOPSIS {synopsis} is not --help's usage {usage}")

    for name in sorted(os.listdir(sources)):
        match = re.fullmatch(r"cohortmatch-(.+)\.1\.md", name)
        if match and match.group(1) not in commands:
            problems.append(f"{name}: no command '{match.group(1)}' in cohortmatch --help")

    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

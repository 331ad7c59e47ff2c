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

#!/usr/bin/python3
"""The man pages, as built by doc/meson.build (scdoc), rendered by groff with
every warning on, and checked against the program: each command 'lyncplan
--help' lists has a page and an entry in lyncplan(1), and every option
'lyncplan COMMAND --help' lists is an entry of that page's OPTIONS.
Arguments: the built pages. Environment (set by meson): LYNCPLAN,
LP_SOURCE_ROOT."""
import glob
import os
import re
import subprocess
import sys
import unittest

import lptest

ROOT = lptest.ROOT
PAGES = {os.path.basename(p)[:-len(".1")]: p for p in sys.argv[1:]}
OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def render(page):
    """The page as text, wide enough not to wrap; stderr holds groff's warnings."""
    return subprocess.run(["groff", "-t", "-man", "-Tutf8", "-ww", "-rLL=200n", "-P-cbou", PAGES[page]],
                          capture_output=True, text=True)


def section(text, name):
    """The lines of section NAME (a heading at column 0) up to the next heading."""
    lines, inside = [], False
    for line in text.splitlines():
        if line and not line[0].isspace():
            inside = line.strip() == name
        elif inside:
            lines.append(line)
    return lines


def entries(lines):
    """The options named in the entries (the lines at the first indent, 7) of a section."""
    names = set()
    for line in lines:
        if re.match(r" {7}\S", line):
            names.update(OPTION.findall(line))
    return names


def terms(lines):
    """The first word of each entry of a section."""
    return {line.split()[0] for line in lines if re.match(r" {7}\S", line)}


def help_text(*args):
    return lptest.run(*args, "--help", text=True, check=True).stdout


def help_commands():
    text = help_text()
    listed = text.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in listed.splitlines()]


def help_options(command):
    """The options of the Options: sections of a GOption --help."""
    names = set()
    for block in help_text(command).split("\n\n"):
        head, _, body = block.partition("\n")
        if head.endswith("Options:"):
            for line in body.splitlines():
                names.update(OPTION.findall(line.split("  ", 2)[1] if line.startswith("  -") else ""))
    return names


class ManPages(unittest.TestCase):
    def test_every_page_is_built(self):
        sources = {os.path.basename(p)[:-len(".1.scd")] for p in glob.glob(os.path.join(ROOT, "doc", "*.1.scd"))}
        self.assertEqual(sources, set(PAGES))

    def test_groff_renders_without_warnings(self):
        for page in PAGES:
            with self.subTest(page=page):
                r = render(page)
                self.assertEqual(r.returncode, 0)
                self.assertEqual(r.stderr, "")
                for heading in ("NAME", "SYNOPSIS", "DESCRIPTION", "SEE ALSO"):
                    self.assertTrue(section(r.stdout, heading), heading)

    def test_every_command_has_a_page(self):
        text = render("lyncplan").stdout
        commands = terms(section(text, "COMMANDS"))
        see_also = " ".join(section(text, "SEE ALSO"))
        for command in help_commands():
            with self.subTest(command=command):
                self.assertIn(command, commands)
                self.assertIn("lyncplan-" + command, PAGES)
                self.assertIn(f"lyncplan-{command}(1)", see_also)
        self.assertIn("help", commands)

    def test_overview_documents_the_options_its_help_names(self):
        named = set(OPTION.findall(help_text()))
        self.assertIn("--version", named)
        self.assertLessEqual(named, entries(section(render("lyncplan").stdout, "OPTIONS")))

    def test_every_option_of_help_is_documented(self):
        for command in help_commands():
            with self.subTest(command=command):
                listed = help_options(command)
                self.assertIn("--help", listed)
                documented = entries(section(render("lyncplan-" + command).stdout, "OPTIONS"))
                self.assertEqual(set(), listed - documented, "in --help, not in the page")

    def test_overview_names_every_product(self):
        name = " ".join(section(render("lyncplan").stdout, "NAME"))
        for product in ("Lync Server 2013", "Skype for Business Server 2015", "2019",
                        "Subscription Edition"):
            self.assertIn(product, name)

    def test_shell_example_renders_as_typed(self):
        lines = [l.strip() for l in section(render("lyncplan-shell").stdout, "EXAMPLES")]
        for typed in ("lyncplan shell --echo examples/four-sites-dr.ini <<EOF",
                      "set dr-rto 15m", "site set NYC users=40000", "save what-if.ini", "EOF"):
            self.assertIn(typed, lines)

    def test_pages_point_to_lyncplan_rules(self):
        for page in ("lyncplan", "lyncplan-plan", "lyncplan-sweep"):
            with self.subTest(page=page):
                self.assertIn("lyncplan rules", render(page).stdout)


if __name__ == "__main__":
    lptest.main(argv=[])  # the arguments are the pages, not test names

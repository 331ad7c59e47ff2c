/*
 * cohortmatch: dispatch to one file per command, bcftools style. This file
 * knows only the command table and the global flags.
 */
#include <stdio.h>
#include <string.h>

#include <htslib/hts.h>

#include "cli.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} command;

static const command commands[] = {
    {"match", main_match,
     "candidate trial arms and cohorts for each sample of a VCF/BCF, MAF or study"},
    {"lint", main_lint, "validate rule files"},
    {"test", main_test, "run the tests written in rule files"},
    {"alterations", main_alterations, "print the alterations the matcher sees (TSV)"},
    {"list", main_list, "list the arms of rule files (TSV or Markdown)"},
    {"summarize", main_summarize, "count a cohort's results per arm and forecast cohort accrual"},
};

static void usage(FILE *fp)
{
    fprintf(fp,
            "\n"
            "Program: cohortmatch (molecular profile -> precision-oncology trial cohorts)\n"
            "Version: %s (using htslib %s)\n\n"
            "Usage:   cohortmatch <command> [options]\n\n"
            "Commands:\n",
            CM_VERSION, hts_version());
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(fp, "    %-12s %s\n", commands[i].name, commands[i].help);
    fprintf(fp, "\n"
                " -h, --help       this help\n"
                " -v, --version    version of cohortmatch and htslib\n\n"
                "Run 'cohortmatch <command> --help' for a command's options.\n"
                "Exit status: 0 ran, 1 bad input (VCF, rules, options' values), 2 usage.\n\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CM_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return CM_EXIT_OK;
    }
    if (strcmp(name, "-v") == 0 || strcmp(name, "--version") == 0) {
        printf("cohortmatch %s\nUsing htslib %s\n", CM_VERSION, hts_version());
        return CM_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(name, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "cohortmatch: unknown command '%s' (see 'cohortmatch --help')\n", name);
    return CM_EXIT_USAGE;
}

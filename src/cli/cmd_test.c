/* Placeholder until the command lands in this session. */
#include "cli.h"
int main_test(int argc, char **argv) { (void)argc; (void)argv; cm_cli_message("test: not implemented"); return CM_EXIT_USAGE; }

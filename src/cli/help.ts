/** The help texts after the option lists: examples, exit codes and the environment (`phi-audit --help`, `scan --help`). */

export const EXIT_CODES = `Exit codes:
  0  no finding at or above --fail-on
  1  at least one finding at or above --fail-on (accepted, folded and baseline findings never count)
  2  the map, a rule or config file, or the command line is wrong, or a report cannot be written
  3  an internal error in phi-audit (set PHI_AUDIT_DEBUG=1 and please report it)`;

export const ENVIRONMENT = `Environment:
  NO_COLOR                     no colour (as --no-color); FORCE_COLOR=1 colours output that is not a terminal
  PHI_AUDIT_DEBUG=1            print a stack trace with an internal error
  PHI_AUDIT_TIMING=1           print each stage's time and memory on stderr
  PHI_AUDIT_MAX_FILE_MB        largest map file read (default 64)
  PHI_AUDIT_MAX_TOTAL_MB       largest total of map files (default 128)
  PHI_AUDIT_MAX_LINE_KB        longest line, in Ki characters (default 1024)
  PHI_AUDIT_MAX_ALIAS_NODES    most values YAML aliases may add (default 1000000)
  PHI_AUDIT_SARIF_MAX_RESULTS  most results in a SARIF run (default 25000, GitHub's limit)
  GITHUB_STEP_SUMMARY          with --format github, the job summary is appended to this file`;

export const PROGRAM_HELP = `
Examples:
  phi-audit init                          write a starter phi-map.yaml
  phi-audit scan                          check phi-map.yaml and **/*.phi.yaml here
  phi-audit scan infra/phi -f sarif=phi.sarif -f github
  phi-audit report -o gap-report.html     the gap report for a compliance review
  phi-audit rules baa-signed              one rule's rationale, citations and remediation

${EXIT_CODES}

${ENVIRONMENT}

Run phi-audit help COMMAND (or COMMAND --help) for a command's options.`;

export const SCAN_HELP = `
Examples:
  phi-audit scan                                     text report of the maps here; exit 1 on high or critical
  phi-audit scan infra/phi --fail-on critical        fail only on critical findings
  phi-audit scan -f text -f sarif=phi.sarif -f junit=phi.xml
                                                     several reports in one run
  phi-audit scan -f github -f sarif=phi.sarif        in GitHub Actions: annotations, job summary, SARIF
  phi-audit scan -f csv=findings.csv -f csv-matrix=safeguards.csv
  phi-audit scan --write-baseline phi-baseline.json  record today's findings
  phi-audit scan --baseline phi-baseline.json        fail only on findings not in the baseline
  phi-audit scan --as-of 2026-11-22 -f json          reproducible: BAA dates judged as of that day

Formats that write a file on exit 2 too (the problems, so a CI upload step still finds it): text, json, sarif,
junit, github.

${EXIT_CODES}

${ENVIRONMENT}`;

// Package deploy holds what runs scosearch on a server: Dockerfile (a
// static binary on a small base image, a non-root user, the index on a
// volume, a health check on /readyz), scosearch.service and
// scosearch-reindex.service (systemd units with a dynamic user, the index
// in its state directory, hardening). It has no Go code: its tests check
// these files against the binary (their variables are flags serve knows,
// systemd-analyze accepts the units) and that the binary, built static as
// the Dockerfile builds it, serves as an unprivileged user; and that the
// README's way of feeding replicas (copy a finished generation, then
// write CURRENT by a rename) swaps it in, and refuses a damaged copy.
package deploy

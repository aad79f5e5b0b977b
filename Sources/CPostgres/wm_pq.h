// libpq, as Debian's libpq-dev installs it. libpq's calls are not variadic, so Swift calls
// them directly; this header only gathers them (and names the diagnostic fields Swift reads).
#ifndef WM_PQ_H
#define WM_PQ_H

#include <libpq-fe.h>

#ifdef __cplusplus
extern "C" {
#endif

// PG_DIAG_* live in postgres_ext.h as character constants; Swift imports them, but these
// names say which ones the store reads.
static const int wm_pq_diag_sqlstate = 'C';
static const int wm_pq_diag_message = 'M';
static const int wm_pq_diag_constraint = 'n';
static const int wm_pq_diag_table = 't';

#ifdef __cplusplus
}
#endif

#endif

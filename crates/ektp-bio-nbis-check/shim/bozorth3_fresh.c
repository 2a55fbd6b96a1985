/* NIST's bozorth3.c, compiled inside this file (the NIST file is not modified) so that its
 * file-static tables can be cleared before every comparison.
 *
 * BOZORTH3 keeps its working tables in globals (bz_gbls.c) and file statics (bozorth3.c) and
 * does not clear all of them between bozorth_main() calls: in one process, a pair's score can
 * depend on the pairs compared before it (seen here: 14 on a fresh start, 15 after another
 * pair). ektp_bozorth3_reset() restores the zeroed state a new process starts with, so every
 * comparison is what a fresh `bozorth3 probe.xyt gallery.xyt` run prints. */
#include "../nbis/bozorth/src/lib/bozorth3/bozorth3.c"
#include <string.h>

#define CLEAR(a) memset((a), 0, sizeof(a))

void ektp_bozorth3_reset(void)
{
   /* bozorth3.c file statics (bz_match's function statics rot/rtp are out of reach; it
      fills the rows it reads before reading them) */
   CLEAR(ct); CLEAR(gct); CLEAR(ctt); CLEAR(ctp);
   /* bz_gbls.c globals */
   CLEAR(colp); CLEAR(scols); CLEAR(fcols); CLEAR(scolpt); CLEAR(fcolpt); CLEAR(sc); CLEAR(yl);
   CLEAR(rq); CLEAR(tq); CLEAR(zz); CLEAR(rx); CLEAR(mm); CLEAR(nn); CLEAR(qq); CLEAR(rk);
   CLEAR(cp); CLEAR(rp); CLEAR(rf); CLEAR(cf); CLEAR(y);
}

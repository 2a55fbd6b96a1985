/* The stock `bozorth3` command's path for one probe/gallery pair of .xyt files with quality,
 * as a function: bz_prune() (bz_load's second half: theta folded to (-180, 180], the
 * max_minutiae of highest quality kept, sorted) on each side, then bozorth_main(), from the
 * zeroed state of a new process (see bozorth3_fresh.c).
 * The globals below are the ones stock NBIS defines in bozorth3's main program, with its
 * defaults (nbis-rs's bozorth_glue.c sets min_computable_minutiae to 15; stock is 10). */
#include <stdio.h>
#include <stdlib.h>
#include <bozorth.h>

FILE *errorfp = NULL;
int m1_xyt = 0;
int max_minutiae = DEFAULT_BOZORTH_MINUTIAE;
int min_computable_minutiae = MIN_COMPUTABLE_BOZORTH_MINUTIAE;
int verbose_main = 0;
int verbose_load = 0;
int verbose_bozorth = 0;
int verbose_threshold = 0;


void ektp_bozorth3_reset(void);

static struct xytq_struct probe_q, gallery_q;

static void fill(struct xytq_struct *q, const int *x, const int *y, const int *t,
                 const int *qual, int n)
{
   int i;
   if (n > MAX_FILE_MINUTIAE)
      n = MAX_FILE_MINUTIAE;
   q->nrows = n;
   for (i = 0; i < n; i++) {
      q->xcol[i] = x[i];
      q->ycol[i] = y[i];
      q->thetacol[i] = t[i];
      q->qualitycol[i] = qual[i];
   }
}

int ektp_bozorth3(const int *px, const int *py, const int *pt, const int *pq, int pn,
                  const int *gx, const int *gy, const int *gt, const int *gq, int gn)
{
   struct xyt_struct *p, *g;
   int score;
   errorfp = stderr;
   ektp_bozorth3_reset();
   fill(&probe_q, px, py, pt, pq, pn);
   fill(&gallery_q, gx, gy, gt, gq, gn);
   p = bz_prune(&probe_q, 0);
   g = bz_prune(&gallery_q, 0);
   if (p == XYT_NULL || g == XYT_NULL) {
      free(p);
      free(g);
      return -1;
   }
   score = bozorth_main(p, g);
   free(p);
   free(g);
   return score;
}

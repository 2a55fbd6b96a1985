/* The stock `mindtct` command's path from pixels to its .xyt file, as a function:
 * get_minutiae() with lfsparms_V2 at 500 ppi (no -b contrast boost, no -m1), then for each
 * minutia lfs2nist_minutia_XYT() and quality = sround(reliability * 100), which is what
 * NBIS's write_minutiae_XYTQ(NIST_INTERNAL_XYT_REP) writes (results.c, not vendored by nbis-rs). */
#include <stdlib.h>
#include <lfs.h>

/* As in NBIS include/defs.h (stock mindtct.c divides the 500 ppi default by it). */
#ifndef MM_PER_INCH
#define MM_PER_INCH 25.4
#endif

int ektp_mindtct(unsigned char *idata, int iw, int ih,
                 int *ox, int *oy, int *ot, int *oq, int max)
{
   MINUTIAE *minutiae;
   int *quality_map, *direction_map, *low_contrast_map, *low_flow_map, *high_curve_map;
   int map_w, map_h, bw, bh, bd, i, n, ret;
   unsigned char *bdata;
   double ippmm = 500 / (double)MM_PER_INCH;

   ret = get_minutiae(&minutiae, &quality_map, &direction_map, &low_contrast_map,
                      &low_flow_map, &high_curve_map, &map_w, &map_h,
                      &bdata, &bw, &bh, &bd, idata, iw, ih, 8, ippmm, &lfsparms_V2);
   if (ret)
      return ret < 0 ? ret : -ret;
   n = minutiae->num;
   for (i = 0; i < n && i < max; i++) {
      MINUTIA *m = minutiae->list[i];
      lfs2nist_minutia_XYT(&ox[i], &oy[i], &ot[i], m, iw, ih);
      oq[i] = sround(m->reliability * 100.0);
   }
   free_minutiae(minutiae);
   free(quality_map);
   free(direction_map);
   free(low_contrast_map);
   free(low_flow_map);
   free(high_curve_map);
   free(bdata);
   return n;
}

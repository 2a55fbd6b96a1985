/*******************************************************************************

License: 
This software and/or related materials was developed at the National Institute
of Standards and Technology (NIST) by employees of the Federal Government
in the course of their official duties. Pursuant to title 17 Section 105
of the United States Code, this software is not subject to copyright
protection and is in the public domain. 

This software and/or related materials have been determined to be not subject
to the EAR (see Part 734.3 of the EAR for exact details) because it is
a publicly available technology and software, and is freely distributed
to any interested party with no licensing requirements.  Therefore, it is 
permissible to distribute this software as a free download from the internet.

Disclaimer: 
This software and/or related materials was developed to promote biometric
standards and biometric technology testing for the Federal Government
in accordance with the USA PATRIOT Act and the Enhanced Border Security
and Visa Entry Reform Act. Specific hardware and software products identified
in this software were used in order to perform the software development.
In no case does such identification imply recommendation or endorsement
by the National Institute of Standards and Technology, nor does it imply that
the products and equipment identified are necessarily the best available
for the purpose.

This software and/or related materials are provided "AS-IS" without warranty
of any kind including NO WARRANTY OF PERFORMANCE, MERCHANTABILITY,
NO WARRANTY OF NON-INFRINGEMENT OF ANY 3RD PARTY INTELLECTUAL PROPERTY
or FITNESS FOR A PARTICULAR PURPOSE or for any purpose whatsoever, for the
licensed product, however used. In no event shall NIST be liable for any
damages and/or costs, including but not limited to incidental or consequential
damages of any kind, including economic damage or injury to property and lost
profits, regardless of whether NIST shall be advised, have reason to know,
or in fact shall know of the possibility.

By using this software, you agree to bear all risk relating to quality,
use and performance of the software and/or related materials.  You agree
to hold the Government harmless from any claim arising from your use
of the software.

*******************************************************************************/


/************************************************************************/
/***********************************************************************
      LIBRARY: LFS - NIST Latent Fingerprint System

      FILE:           ISEMPTY.C
      AUTHOR:         Michael D. Garris
      DATE:           09/13/2004

      Contains routines responsible for determining if a fingerprint
      image is empty.

***********************************************************************
               ROUTINES:
                        is_image_empty()
                        is_qmap_empty()

***********************************************************************/

#include <lfs.h>

/***********************************************************************
************************************************************************
#cat: is_image_empty - Routine determines if statistics passed indicate
#cat:                  an empty image.

   Input:
      quality_map - quality map computed by NIST's Mindtct
      map_w       - width of map
      map_h       - height of map
   Return Code:
      True        - image determined empty
      False       - image determined NOT empty
************************************************************************/
int is_image_empty(int *quality_map, const int map_w, const int map_h)
{
   /* This routine is designed to be expanded as more statistical */
   /* tests are developed. */

   if(is_qmap_empty(quality_map, map_w, map_h))
      return(TRUE);
   else
      return(FALSE);
}

/***********************************************************************
************************************************************************
#cat: is_qmap_empty - Routine determines if quality map is all set to zero

   Input:
      quality_map - quality map computed by NIST's Mindtct
      map_w       - width of map
      map_h       - height of map
   Return Code:
      True        - quality map is empty
      False       - quality map is NOT empty
************************************************************************/
int is_qmap_empty(int *quality_map, const int map_w, const int map_h)
{
   int i, maplen;
   int *qptr;

   qptr = quality_map;
   maplen = map_w * map_h;
   for(i = 0; i < maplen; i++){
      if(*qptr++ != 0){
         return(FALSE);
      }
   }
   return(TRUE);
}


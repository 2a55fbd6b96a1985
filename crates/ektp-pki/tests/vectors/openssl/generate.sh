#!/bin/sh
# Regenerates this TEST ONLY vector with OpenSSL alone (no ektp code involved).
# Private keys are made in a temporary directory and thrown away.
set -eu
out=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# Synthetic data groups (no real person).
printf '\141\133\137\037\130IDIDNSPECIMEN<<TEST<ONLY<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<' > dg1.bin
head -c 1500 /dev/zero | tr '\0' 'u' > dg2.bin

# Root: RSA-4096 signing with RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32), like Indonesia's passport CSCA.
pss="-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest"
openssl req -x509 -newkey rsa:4096 -nodes -keyout root.key -out root-TEST-ONLY.pem -days 7300 -sha256 \
  -subj "/C=ID/O=Dukcapil TEST ONLY/CN=CSCA Vector TEST ONLY" \
  -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign $pss
# Document signer: P-256.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ds.key
openssl req -new -key ds.key -subj "/C=ID/O=Dukcapil TEST ONLY/CN=DS Vector TEST ONLY" -out ds.csr
printf 'keyUsage=critical,digitalSignature\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' > ds.ext
openssl x509 -req -in ds.csr -CA root-TEST-ONLY.pem -CAkey root.key -set_serial 4097 -days 3650 -sha256 \
  -extfile ds.ext -out ds-TEST-ONLY.pem $pss
# CRL from the root, valid for ten years, revoking nothing.
: > index.txt; echo 01 > crlnumber
printf '[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\ncrlnumber=crlnumber\ndefault_md=sha256\n' > ca.cnf
openssl ca -gencrl -config ca.cnf -keyfile root.key -cert root-TEST-ONLY.pem -crldays 3650 \
  -out crl-TEST-ONLY.pem $pss
# LDS Security Object written by `openssl asn1parse -genconf` from the DG hashes.
h1=$(openssl dgst -sha256 -r dg1.bin | cut -d' ' -f1)
h2=$(openssl dgst -sha256 -r dg2.bin | cut -d' ' -f1)
cat > lds.cnf <<CNF
asn1=SEQUENCE:lds
[lds]
version=INTEGER:0
hashAlgorithm=SEQUENCE:sha256
hashes=SEQUENCE:dgs
[sha256]
algorithm=OID:sha256
[dgs]
dg1=SEQUENCE:dg1
dg2=SEQUENCE:dg2
[dg1]
number=INTEGER:1
hash=FORMAT:HEX,OCTETSTRING:$h1
[dg2]
number=INTEGER:2
hash=FORMAT:HEX,OCTETSTRING:$h2
CNF
openssl asn1parse -genconf lds.cnf -out lds.der -noout
# CMS SignedData over it.
openssl cms -sign -binary -nodetach -outform DER -md sha256 -econtent_type 2.23.136.1.1.1 \
  -signer ds-TEST-ONLY.pem -inkey ds.key -in lds.der -out sod-cms-TEST-ONLY.der
cp dg1.bin dg2.bin root-TEST-ONLY.pem ds-TEST-ONLY.pem crl-TEST-ONLY.pem sod-cms-TEST-ONLY.der "$out/"
date -u +%s > "$out/generated-at.txt"

#!/bin/sh
# Makes the test PKI for TngLoraManifestTest: a test CA with a log signer (signs manifest entries), a rogue CA with its
# own signer (a chain that does not lead to the pinned CA), a device-certificate signer and three device certificates:
# a B-generation one (DevEUI as the second word of the CN), a C-generation one (DevEUI in the SAN directoryName's
# serialNumber as "eui64_<hex>") and one issued by the rogue CA (does not chain to the x5c signer beside it).
# Test keys only; run from this directory to remake them (the tests read the certificates' validity, not dates of their own).
set -e
ec() { openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out "$1.key"; }
ca() { ec "$1"; openssl req -x509 -new -key "$1.key" -subj "/O=Lorafab Test/CN=$2" -days 7300 -sha256 \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign -addext subjectKeyIdentifier=hash \
  -out "$1.pem"; }
leaf() { # name issuer subject [extfile]
  ec "$1"; openssl req -new -key "$1.key" -subj "$3" -out "$1.csr"
  printf 'subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\nbasicConstraints=critical,CA:FALSE\n%s\n' "$4" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days 3650 -sha256 -extfile "$1.ext" -out "$1.pem"
  rm -f "$1.csr" "$1.ext"; }
ca test-ca "Test Manifest CA"
ca rogue-ca "Rogue CA"
ca device-signer "Test Device Signer"
leaf log-signer test-ca "/O=Lorafab Test/CN=Test Log Signer"
leaf rogue-signer rogue-ca "/O=Lorafab Test/CN=Rogue Log Signer"
leaf device-b device-signer "/O=Lorafab Test/CN=sn0123A1B2C3D4E5F627 0004A31000ABCD01 ATECC"
# The C-generation SAN as Microchip writes it: a directoryName whose serialNumber is a PrintableString holding "_",
# a character PrintableString does not allow (openssl will not write it from a config, so the DER is given).
eui=$(printf 'eui64_0004A31000ABCD02' | od -An -tx1 | tr -d ' \n')
leaf device-c device-signer "/O=Lorafab Test/CN=sn0123A1B2C3D4E5F628" "2.5.29.17=DER:3025a4233021311f301d06035504051316$eui"
leaf device-rogue rogue-ca "/O=Lorafab Test/CN=sn0123A1B2C3D4E5F629 0004A31000ABCD03 ATECC"
rm -f *.srl

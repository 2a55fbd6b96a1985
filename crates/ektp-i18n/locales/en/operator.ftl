# operator: en messages of the operators' commands (pki, cvc, sim, demo, serve; see ../../README.md).

## PKCS#11 module, token, PIN and key errors (crates/ektp-cli/src/exit/words/token.rs)
op-p11-module-not-found = PKCS#11 module { $path } not found: give the path of the module's .so (SoftHSM: /usr/lib/softhsm/libsofthsm2.so)
op-p11-module-load = PKCS#11 module { $path } could not be loaded ({ $detail }): give a PKCS#11 module of this machine's architecture
op-p11-token-not-present = no PKCS#11 token labelled "{ $label }" is present (tokens present: { $present }); insert it or fix token= in the URI
op-p11-no-token-in-uri = the PKCS#11 URI names no token: add token=LABEL
op-p11-wrong-pin = wrong PIN for token "{ $token }"
op-p11-wrong-pin-low = wrong PIN for token "{ $token }" (few tries left)
op-p11-wrong-pin-final = wrong PIN for token "{ $token }" (one try left before the PIN locks)
op-p11-pin-locked = the PIN of token "{ $token }" is locked: the security officer must unlock it
op-p11-pin-file = cannot read the PIN file
op-p11-pin-invalid = the PIN is empty or not text: write the PIN (one line) in the PIN file
op-p11-invalid-uri = invalid PKCS#11 URI: { $why }
op-p11-uri-not-pkcs11 = it does not start with `pkcs11:`
op-p11-uri-too-long = it or one of its attributes is too long
op-p11-uri-percent = a `%` is not followed by two hex digits
op-p11-uri-utf8 = a text attribute is not UTF-8
op-p11-uri-unsupported = attribute `{ $name }` is not supported (use token, object, id, type, pin-source)
op-p11-uri-duplicate = attribute `{ $name }` is given twice
op-p11-uri-pin-value = `pin-value` is refused: give the PIN by prompt, --pin-file or pin-source
op-p11-uri-type = `type` must be one of private, public, cert, secret-key
op-p11-uri-equals = a component has no `=`
op-p11-none = none
op-p11-object-not-found = nothing with { $type } matches { $uri } on token "{ $token }" (objects there: { $present })
op-p11-ambiguous = { $count } objects match { $uri }: add object= or id= to name one
op-p11-wrong-type = { $uri } names an object of { $given }, but { $purpose } needs { $needed }
op-p11-unsuitable = { $uri } cannot be { $purpose }: { $why }
op-p11-purpose-ds = a document signer (EC P-256 or P-384, CKA_SIGN)
op-p11-purpose-cv = a CV signer (EC P-256 or brainpoolP256r1, CKA_SIGN)
op-p11-purpose-master = a batch master key (AES-256, CKA_SIGN for CKM_AES_CMAC)
op-p11-purpose-cert = a certificate and CRL signer (EC P-256 or P-384, CKA_SIGN)
op-p11-why-type = its key type is { $type }
op-p11-why-curve = its curve (CKA_EC_PARAMS { $params }) is not supported
op-p11-why-length = it is { $n } bytes long
op-p11-why-not-signing = CKA_SIGN is false or CKA_ALLOWED_MECHANISMS excludes the mechanism: it may not sign
op-p11-why-no-public = no public key object with its label/id is on the token
op-p11-certificate = the document signer certificate is malformed or unusable: give the certificate issued for the token's key
op-p11-mismatch = the token's key { $uri } is not the certificate's key: give the certificate issued for it
op-p11-bad-output = the token returned a { $got }-byte result where { $expected } bytes were expected
op-p11-failed = PKCS#11 { $operation } failed ({ $detail }): check the token and try again
op-p11-diversified = the token's diversified chip keys were refused: check the batch master key on the token

## ektp pki init (the files' names are also --json's "what", in English)
op-pki-root-cert = root certificate (trust store)
op-pki-crl = CRL (trust store)
op-pki-root-key = root private key
op-pki-ds-cert-n = document signer { $n } certificate
op-pki-ds-key-n = document signer { $n } private key
op-pki-rls-cert = revocation list signer certificate
op-pki-rls-key = revocation list signer private key
op-pki-master = personalization master key
op-pki-station = station config
op-pki-in-token = { $what } (in token { $label })
op-pki-root-key-t = root key
op-pki-ds-key-t = document signer key
op-pki-ds-cert-t = document signer certificate
op-pki-cvca-key = CVCA key
op-pki-cvca-cert = CVCA CV certificate
op-pki-dv-key = DV key
op-pki-dv-cert = DV CV certificate
op-pki-terminal-key = terminal key
op-pki-terminal-cert = terminal CV certificate
op-pki-trust-dir = trust store directory
op-pki-written = TEST ONLY PKI written to { $dir }:
op-pki-test-only = These keys are TEST ONLY: never trust this root or sign real cards with them.
op-pki-next-token = The master key never leaves the token: a card for this station holds chip keys the token diversified for its serial (a virtual card from `ektp sim` holds the TEST master key's and is refused). Personalize such a card with:
op-pki-next-sim = Try it with a virtual card (`ektp sim` in another terminal):
op-pki-done = TEST ONLY: the PKI in { $dir } is for trying ektp out, never for real cards
op-pki-done-token = TEST ONLY: every key (root, document signer, CVCA, DV, terminal, master key) was generated in token { $label } and never leaves it; only certificates and the CRL are files.
op-err-cannot-write = cannot write { $path }
op-err-cannot-create = cannot create { $path }
op-err-pki-write = cannot write the TEST PKI into { $dir }
op-err-no-ds = the TEST PKI has no document signer
op-io-exists = the file already exists: choose a new directory (existing files are never overwritten)

## ektp pki show (crates/ektp-cli/src/commands/pki/show)
op-show-cert = Certificate
op-show-test-only = TEST ONLY
op-show-subject = subject
op-show-issuer = issuer
op-show-serial = serial
op-show-valid = valid
op-show-valid-now = valid now
op-show-expired = expired
op-show-not-yet-valid = not yet valid
op-show-public-key = public key
op-show-bits = bits
op-show-ca = CA
op-show-yes = yes
op-show-no = no
op-show-key-usage = key usage
op-show-sha256 = SHA-256
op-show-crl = Certificate revocation list
op-show-this-update = this update
op-show-next-update = next update
op-show-revoked = revoked
op-show-revoked-item = serial { $serial } since { $at }
op-show-sod = EF.SOD (LDS Security Object in CMS SignedData)
op-show-hashes = data group hashes ({ $alg }):
op-show-signer = signer
op-show-issued-by = issued by
op-show-signer-unparsable = (certificate not parsable)
op-show-signing-time = signing time
op-show-note = (this describes the file; `ektp verify` checks it against a trust store)
op-show-err-pem = { $path }: malformed PEM: { $detail }
op-show-err-key = { $path }: this is a private key: `pki show` describes certificates, CRLs and EF.SOD, and never prints keys
op-show-err-label = { $path }: PEM block { $label } is not a certificate, CRL or CMS object
op-show-err-unknown = { $path }: not a certificate, CRL or EF.SOD (neither PEM nor DER starting with 30 or 77)
op-show-err-cert = { $path }: malformed certificate: { $detail }
op-show-err-trailing = { $path }: malformed certificate: { $n } bytes after its end
op-show-err-crl = { $path }: malformed CRL: { $detail }
op-show-err-sod = { $path } is not a valid EF.SOD
op-show-err-read = cannot read { $path }
op-show-err-large = { $path } is larger than 1 MiB: not a certificate, CRL or EF.SOD

## ektp sim (its --json events keep these English words in `reason`)
op-sim-new-chip = new BLANK TEST chip, serial { $serial }, personalization key from the TEST ONLY master key
op-sim-reader = reader "{ $name }"
op-sim-reader-port = the vpcd reader on port { $port }
op-sim-inserted = chip { $serial } ({ $state }, ATR { $atr }) inserted into { $reader }; Ctrl-C to remove it
op-sim-dropped = { $reader } dropped the card (vpcd closes the link on a command longer than 65535 bytes, or when pcscd stops); reinserting it
op-sim-reinserted = chip { $serial } reinserted into { $reader } with the same state (hosts must reconnect)
op-sim-removed = chip { $serial } removed: { $why }; { NUMBER($n) ->
        [one] { $n } APDU
       *[other] { $n } APDUs
    } answered; now { $state }
op-sim-removed-saved = chip { $serial } removed: { $why }; { NUMBER($n) ->
        [one] { $n } APDU
       *[other] { $n } APDUs
    } answered; now { $state }; state saved to { $path }
op-sim-blank = BLANK
op-sim-personalizing = PERSONALIZING
op-sim-issued = ISSUED
op-sim-stopped = stopped
op-sim-fault = fault fired ({ $fault })
op-sim-closed = vpcd closed the connection (pcscd stopped, or it ejected the card)
op-sim-gone = vpcd dropped the card and never took it back: { $error }
op-sim-ended = session ended: { $end }
op-sim-err-rng = the system random number generator failed
op-sim-err-load = cannot load the chip state { $path }
op-sim-err-save = cannot save the chip state to { $path }
op-sim-err-master = the built-in TEST ONLY master key is unusable
op-sim-err-blank = cannot make a blank chip
op-sim-err-ctrlc = cannot install the Ctrl-C handler

## ektp serve (stdout: the two addresses; scripts find the one with ?token=)
op-serve-listening = listening on { $url }
op-serve-desk-page = desk page: { $url }
op-serve-token-written = token written to { $path } (0600): give it to the agency's system; every request needs it
op-serve-err-token-write = cannot write the token file { $path }
op-serve-err-token-load = cannot load the token file { $path } (create it with `ektp serve --init`)
op-serve-err-revoked = cannot load the revocation list { $path }
op-serve-not-loopback = { $addr } is not a loopback address: the service listens only on this computer (127.0.0.1 or [::1])
op-serve-err-listen = cannot listen on { $addr }: choose another port with --listen, or stop the program using it
op-serve-err-applications = --applications { $path }: not a directory (give the queue directory of applications)

## ektp cvc (the files' names are also --json's "what", in English)
op-cvc-f-cvca-cert = CVCA certificate
op-cvc-f-cvca-key = CVCA private key
op-cvc-f-dv-cert = DV certificate
op-cvc-f-dv-key = DV private key
op-cvc-f-terminal-cert = terminal certificate
op-cvc-f-link-cert = link certificate
op-cvc-f-new-cvca-cert = new CVCA certificate
op-cvc-f-new-cvca-key = new CVCA private key
op-cvc-f-request = certificate request
op-cvc-f-key = private key
op-cvc-cvca-written = TEST ONLY CVCA written to { $dir }:
op-cvc-dv-issued = DV certificate issued:
op-cvc-is-issued = Terminal (inspection system) certificate issued:
op-cvc-rolled = CVCA rolled over from { $old } to { $new } (new DV certificates are issued by { $new }):
op-cvc-request-written = Key and certificate request for { $chr } written:
op-cvc-request-next = Send the request (never the key) to your DV to be issued a certificate.
op-cvc-cert-line = { $car } → { $chr }: { $role }, rights { $rights }, valid { $from } to { $to }
op-cvc-role-cvca = CVCA
op-cvc-role-dv-domestic = DV (official domestic)
op-cvc-role-dv-foreign = DV (non-official/foreign)
op-cvc-role-terminal = terminal
op-cvc-test-only = TEST ONLY: software keys in files are for trying EAC out; real CVCA, DV and terminal keys belong in a token or SAM

## ektp demo
op-demo-title = ektp demo: a virtual e-KTP card from blank to verified, in this process
op-demo-subtitle = (no reader, no pcscd; every key here is TEST ONLY)
op-demo-pki = 1. TEST PKI: root CSCA (P-384) with its CRL, document signer 1 (P-256)  [{ $time }]
op-demo-application = 2. application: specimen `pria`, { $name } (document { $doc }), validated
op-demo-blank = 3. blank virtual chip, serial { $serial }, lifecycle { $state }
op-demo-personalize = 4. personalize:
op-demo-locked = card LOCKED: document { $doc }, EF.SOD SHA-256 { $sha }…
op-demo-timed = { $stats } in { $time }
op-demo-read = 5. read back (PACE with the CAN, DG1 DG11 DG12 DG13):
op-demo-verify = 6. verify (pickup desk):
op-demo-next = next: `ektp pki init DIR` writes a TEST station; `ektp sim` serves a virtual card to pcscd
op-demo-done = DONE, card verified
op-demo-not-verified = DONE, card did NOT verify
op-demo-summary = { $done }: { $all } APDUs in all (personalize { $perso }, read { $read }, verify { $verify }); personalize { $perso_time }, read { $read_time }, verify { $verify_time }; total { $total }

## ektp cvc show (crates/ektp-cli/src/commands/cvc/show_text.rs)
op-cvcs-kind-link = CVCA link certificate
op-cvcs-kind-cvca = CVCA certificate
op-cvcs-kind-dv = DV certificate
op-cvcs-kind-terminal = terminal certificate
op-cvcs-cert-title = { $kind } { $file } (BSI TR-03110-3 CV certificate)
op-cvcs-req-title = certificate request { $file } (BSI TR-03110-3 §C.2)
op-cvcs-curve-in-cert = { $curve } (domain parameters in the certificate)
op-cvcs-curve-cvca = { $curve } (the CVCA's domain parameters)
op-cvcs-curve-unknown = unknown: the key is on no supported curve
op-cvcs-role = role
op-cvcs-terminal-type = terminal type
op-cvcs-rights = rights
op-cvcs-effective = effective
op-cvcs-expires = expires
op-cvcs-expires-value = { $date } ({ $status }, today { $today })
op-cvcs-expired = expired
op-cvcs-not-yet = not yet effective
op-cvcs-valid-today = valid today
op-cvcs-curve = curve
op-cvcs-signature = signature
op-cvcs-inner = inner signature
op-cvcs-outer = outer signature
op-cvcs-tt-is = inspection system
op-cvcs-tt-at = authentication terminal
op-cvcs-tt-st = signature terminal
op-cvcs-not-checked = not checked ({ $hint })
op-cvcs-verified = verified with the key of { $by }
op-cvcs-not-verified = NOT VERIFIED with the key of { $by }: { $error }
op-cvcs-hint-issuer = give --issuer CERT to check it
op-cvcs-hint-outer = by { $car }; give --issuer CERT to check it
op-cvcs-self-signed = self-signed
op-cvcs-requested-key = the requested key: proof of possession
op-cvcs-none-given = (none given)
op-cvcs-unknown = unknown
op-cvcs-no-outer = none (not an authenticated request)

## ektp cvc errors
op-cvc-err-reference = { $option } { $text } is not a holder reference: 1 to 16 printable ASCII characters, country code + mnemonic + 5-character sequence number (e.g. IDDVBANK00001)
op-cvc-err-key-exists = { $path } already exists: a key is never overwritten; choose another { $option } or move the old key away
op-cvc-err-not-request = { $path } is not a CV certificate request (DER, BSI TR-03110-3 §C.2)
op-cvc-err-not-cvca-dir = { $dir } is not a CVCA directory (no readable `{ $file }` file): make one with `ektp cvc init-cvca`
op-cvc-err-country = --country { $country } is not a country code: two capital letters (ISO 3166-1 alpha-2), ID for Indonesia
op-cvc-err-holder-country = --holder { $chr } does not start with the country code { $country }: write e.g. { $country }CVCA00001
op-cvc-err-has-cvca = { $dir } already holds a CVCA: roll it over with `ektp cvc link --cvca-dir { $dir }`, or choose another directory
op-cvc-err-date = --from { $text } is not a date: write YYYY-MM-DD (e.g. 2026-12-06) or YYMMDD
op-cvc-err-dv-holder = --holder is required with --key-out: the DV's holder reference, e.g. IDDVBANK00001
op-cvc-err-request-cvca = the request is addressed to { $car }, not to the current CVCA ({ $cvca }): ask the agency group for a request with `--car { $cvca }`
op-cvc-err-dv-key = give --key-out FILE or --request FILE
op-cvcs-err-key = { $path } starts like a private key or an X.509 object, not a CV certificate: `cvc show` never prints keys; X.509 certificates go to `ektp pki show`
op-cvcs-err-neither = { $path } is neither a CV certificate nor a certificate request (DER, BSI TR-03110-3)
op-cvc-err-not-dv = { $path } is a { $role } certificate ({ $chr }), not a DV certificate: give the DV's certificate with --dv-cert
op-cvc-err-dv-key-mismatch = { $key } is not the key of the DV certificate { $chr } ({ $cert }): give the DV's own key with --dv-key
op-cvc-err-request-dv = the request is addressed to { $car }, not to this DV ({ $dv }): check you have the right request, or ask the terminal for one with `--car { $dv }`
op-cvc-err-same-holder = --new-holder { $chr } is the current CVCA's reference: give the next one (e.g. a higher sequence number)
op-cvc-err-new-holder-country = --new-holder { $chr } does not start with the country code { $country }
op-cvc-err-issue-key = cannot issue the { $what }: the key file does not belong to the issuer certificate
op-cvc-err-issue-pop = cannot issue the { $what }: the request's signature does not prove possession of its key; ask the terminal for a new request
op-cvc-err-issue = cannot issue the { $what }: { $detail }
op-cvc-err-lifetime = the { $what } would end after 2099-12-31, the last date a CV certificate can carry: choose a shorter lifetime
op-cvc-renew-dv = ask the department for a new DV certificate (`ektp cvc issue-dv`)
op-cvc-renew-cvca = roll the CVCA over (`ektp cvc link`)
op-cvc-err-issuer-expired = the { $who } certificate { $chr } expired on { $date } (today is { $today }): { $renew } before issuing with it
op-cvc-err-would-expire = the certificate would have expired on { $date }, before today ({ $today }): choose a later --from or a longer lifetime
op-cvc-err-rights = the { $who } { $issuer } may grant only { $granted }; it cannot grant { $requested }: give --rights within those
op-cvc-err-rights-dv = the { $who } { $issuer } may grant only { $granted }; it cannot grant { $requested }: give --rights within those, or ask the department for a DV certificate with those rights
op-cvc-err-outlives = the certificate would end on { $date }, after its issuer { $issuer } ends on { $end }: give a shorter { $option }, or { $renew }
op-cvc-err-policy = cannot issue the certificate: { $detail }

## ektp pki init --pkcs11
op-pin-prompt = user PIN of token { $label }:
op-pin-unreadable = cannot read the PIN from the terminal
op-pin-none = no PIN for the PKCS#11 token: give --pin-file FILE (in a terminal ektp asks for it)
op-token-has-key = token { $token } already holds a key { $key }: use a fresh token (or delete its ektp-*-TEST objects)
op-token-root = cannot make the TEST root with the token's key
op-token-crl = cannot sign the TEST CRL with the token's key
op-cvcs-err-issuer = { $chr } is issued by { $car }, but --issuer { $path } is { $issuer }'s certificate: give the certificate whose holder reference is { $car }
op-cvcs-err-outer-issuer = the request's outer signature is by { $car }, but --issuer { $path } is { $issuer }'s certificate
op-cvcs-err-no-outer = this request has no outer signature: --issuer checks only authenticated (67) requests
op-cvc-err-current = { $path } does not hold a holder reference
op-cvc-err-inconsistent = { $key } is not the key of { $cert }: the CVCA directory is inconsistent
op-cvc-err-generate = cannot generate the key
op-cvc-err-sign-request = cannot sign the request
op-cvc-err-encode = cannot encode the new key
op-cvc-err-clock = the system clock is outside 2000..2099
op-cvc-err-request-curve = the request's key is on { $given }, but this chain uses { $curve }: make a new request with `ektp cvc request --curve { $value }`
op-err-clock-2099 = the system clock is near 2099
op-token-ds = cannot certify the token's document signer key
op-demo-err-pki = cannot make the demo's TEST PKI
op-demo-err-specimen = the embedded specimen cannot be written or does not validate

## the vpcd virtual reader (ektp sim)
op-vpcd-not-listening = vpcd is not listening on { $addr }: start pcscd with vsmartcard-vpcd installed (`pcscd -f -i &`; restart pcscd if vpcd was installed after it started)
op-vpcd-busy = another virtual card already holds the vpcd slot on port { $port } (another `ektp sim`?): stop it, or use the other slot ({ $hint })
op-vpcd-slot-busy = vpcd slot on port { $port } still in use by another test or process
op-vpcd-panicked = the virtual card failed while answering vpcd
op-vpcd-socket = could not set up the virtual card's connection

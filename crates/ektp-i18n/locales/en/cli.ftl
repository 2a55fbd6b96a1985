# cli: en messages (see ../../README.md). The command line's text for people; the English
# `--help` texts are the doc comments of the clap definitions (help-* and about-* are only in
# id/cli.ftl).
cli-error = error
cli-warning = warning
cli-bad-lang = unknown language { $value }: use id or en
cli-warn-ignored = warning: { $option } is not used by `ektp { $command }`: ignored
cli-verdict-failed = NOT VERIFIED: do not hand this card out
cli-verdict-passed = VERIFIED: every check passed
cli-verdict-passed-but = VERIFIED: every check made passed; { $skipped }
cli-not-checked-revocation = revocation not checked (no revocation list given)
cli-not-checked-fingerprint = the holder's fingerprint not checked
cli-not-checked-other = { $check }
cli-verdict-wrong-can = NOT VERIFIED: wrong CAN ({ NUMBER($free) ->
        [one] { $free } try
       *[other] { $free } tries
    } in a row before the chip slows down: then it waits { $wait } s, doubling up to { $max } s, and never locks); re-type the 6 digits printed on the card. The card itself was not checked
cli-verdict-wrong-can-plain = NOT VERIFIED: wrong CAN: re-type the 6 digits printed on the card. The card itself was not checked
cli-verdict-line = { $verdict } in { $took } ({ $stats })
cli-stats = { NUMBER($apdus) ->
        [one] { $apdus } APDU
       *[other] { $apdus } APDUs
    }, { NUMBER($sent) ->
        [one] { $sent } byte
       *[other] { $sent } bytes
    } sent, { $received } received, { $wire } waiting for the card
cli-failed-line = FAILED { $check }: { $reason }
cli-pa-detail = Passive Authentication in detail:
cli-throttle-waiting = the chip is slowing down wrong CANs (earlier wrong tries in a row): waiting up to { $max } s
cli-throttle-waited = the chip made PACE wait { $took } because of earlier wrong CANs
cli-using-reader = using reader "{ $name }"
cli-waiting-for-card = waiting up to { NUMBER($seconds) ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    } for a card in reader "{ $name }"
cli-file-written = { $what } ({ $bytes } bytes) written to { $path }
cli-what-face = card face (PNG)
cli-what-pdf = printout (PDF)
cli-read-done = read { $read } in { $took } (not verified: use `ektp verify` for that)
cli-read-done-only = read { $read } in { $took }
cli-label-fingerprints = fingerprints
cli-match-yes = MATCH
cli-match-no = NO MATCH
cli-match-line = { $verdict }: score { $score } { $cmp } threshold { $threshold } ({ $minutiae_a } minutiae in { $a }, { $minutiae_b } in { $b })
cli-err-wrong-can = wrong CAN: check the 6 digits printed on the card
cli-err-no-service = PC/SC service not running: start pcscd
cli-err-no-readers = no smart-card reader found: connect a reader
cli-err-unknown-reader = no reader named "{ $name }"
cli-err-ambiguous-reader = reader name "{ $name }" is ambiguous: give the full name
cli-err-reader-unavailable = reader "{ $reader }" is unavailable (unplugged, or its driver failed)
cli-err-no-card = no card in reader "{ $reader }"
cli-err-no-card-any = no card in any reader
cli-err-several-cards = cards in several readers: name the reader to use with --reader NAME
cli-err-card-removed = card removed during the command
cli-err-card-reset = the card was reset by another application: reconnect and start again
cli-err-unresponsive = card in reader "{ $reader }" does not respond: reinsert it (or it is not a smart card)
cli-err-sharing = reader "{ $reader }" is in exclusive use by another application
cli-err-timeout = timed out waiting for the card
cli-err-reader = the card reader failed
cli-hint-insert = insert a card (or give --wait SECONDS)
cli-hint-put-back = put the card back and run the same command again
cli-hint-close-other = close the other application using the reader
cli-hint-readers = run `ektp readers` to see the names
cli-hint-malformed = the card's answer makes no sense: reinsert the card and try again; if it persists, the card is defective or not an e-KTP
cli-io-not-found = no such file or directory
cli-io-denied = permission denied
cli-err-no-trust = no trust store: give --trust DIR (roots and CRLs) or trust_dir in --config
cli-err-trust-load = cannot load the trust store { $path }
cli-err-trust-no-root = trust store { $path } holds no root certificate: put the department root (.pem/.crt) there
cli-err-can-file = cannot read the CAN file { $path }
cli-err-config-load = cannot read config file { $path }
cli-err-config-too-large = config file { $path } is larger than 64 KiB: is it the right file?
cli-err-config-invalid = config file { $path } is not valid
cli-err-revocation-load = cannot load the revocation list { $path }
cli-err-print-unusable = { $path } is neither a usable fingerprint image nor an ISO/IEC 19794-2 record: { $detail }; give an 8-bit grayscale PNG at 500 ppi or a minutiae record
cli-err-read = cannot read { $path }
cli-err-journal-open = cannot open the journal { $path }
cli-err-write = cannot write { $path }
cli-err-kind-failed = the check failed
cli-err-kind-usage = wrong usage
cli-err-kind-card = card or reader error
cli-err-kind-config = configuration or file error
cli-err-kind-token = token (PKCS#11) error
cli-err-detail = details
clap-err-unknown-arg = unexpected argument '{ $arg }' found
clap-err-invalid-value = invalid value '{ $value }' for '{ $arg }'
clap-err-missing = the following required arguments were not provided: { $args }
clap-err-missing-value = a value is required for '{ $arg }' but none was supplied
clap-err-unknown-command = unrecognized subcommand '{ $command }'
clap-err-conflict = the argument '{ $arg }' cannot be used with '{ $other }'
clap-err-other = wrong usage
clap-more-info = For more information, try '--help'.
clap-usage = Usage:
clap-options = Options:
clap-commands = Commands:
clap-arguments = Arguments:
clap-options-placeholder = [OPTIONS]
clap-command-placeholder = <COMMAND>
clap-default = [default:
clap-possible = [possible values:
clap-possible-long = Possible values:
clap-help-more = Print help (see more with '--help')
clap-help-summary = Print help (see a summary with '-h')
clap-help-sub = Print this message or the help of the given subcommand(s)
clap-help = Print help
clap-version = Print version
cli-err-revocation-refused = refusing the revocation list { $path } (a desk never verifies against a stale, unsigned or untrusted list; fetch the current one from the department)
cli-warn-unsigned-revocations = warning: { $path } is an UNSIGNED plain-text revocation list: for TEST setups only; a desk uses the department's signed list (--revocation-list FILE)
cli-err-revocation-required = this desk requires a revocation list: give --revocation-list FILE (the department's signed list) or revocation_list in --config
cli-err-can-file-digits = the CAN file { $path } must hold the 6 digits printed on the card
cli-err-no-can = no CAN: give --can CAN, EKTP_CAN or --can-file FILE (in a terminal ektp asks for it)
cli-err-can-digits = the CAN must be the 6 digits printed on the card
cli-err-application-invalid = { $path } is not a valid application: run `ektp check` on it to see every problem
cli-readers-none = no smart-card readers found: connect a reader (for the virtual reader install vsmartcard-vpcd and restart pcscd)
cli-readers-virtual = ektp virtual chip
cli-readers-exclusive = in exclusive use
cli-readers-in-use = in use
cli-readers-present = card present  ATR { $atr }
cli-readers-empty = no card
cli-readers-mute = card does not answer (mute): reinsert it
cli-readers-unavailable = unavailable (unplugged or driver failed)
cli-err-dg-malformed = { $dg } read from the card is malformed: { $detail }
cli-err-undecodable = the card's data does not decode: { $detail }
cli-err-no-portrait = the card has no portrait (DG2 not listed in EF.COM)
cli-err-no-signature = the card has no signature image (DG7 not listed in EF.COM)
cli-err-field-absent = the card does not hold { $field } (its data group is not in EF.COM)
cli-what-photo = portrait
cli-what-signature = signature image
cli-image-written = { $what } ({ $format }, { $bytes } bytes) written to { $path }
cli-err-match = cannot score { $a } against { $b }: { $detail }
cli-err-finger-syntax = --finger { $value }: write FINGER=FILE, e.g. --finger right-index=live.png
cli-err-finger-which = --finger { $value }: the e-KTP holds right-index and left-index only
cli-err-trust-no-crl = trust store { $path } has no current CRL for root { $root }: { $detail }; until the department's current CRL is installed there no card can verify
cli-warn-not-a-root = warning: ignored { $file }: { $subject } cannot be a trusted root: { $detail }
cli-step-authenticating = opening the personalization session with the batch key
cli-step-chip-key = chip generates its Active Authentication key
cli-step-signing = signing EF.SOD with the document signer
cli-step-writing = writing { $file }
cli-step-setting-can = storing the CAN
cli-step-verifying = reading back through PACE and verifying
cli-step-locking = locking the card
cli-file-card-access = PACE parameters
cli-file-com = data group list
cli-file-sod = document security object
cli-file-dg1 = MRZ
cli-file-dg2 = portrait
cli-file-dg3 = fingerprints
cli-file-dg7 = signature image
cli-file-dg11 = personal details
cli-file-dg12 = document details
cli-file-dg13 = Indonesian details
cli-file-dg14 = security infos
cli-file-dg15 = Active Authentication public key
cli-file-dg = data group
cli-pa-not-read = NOTE  in EF.SOD but not read (not verified): { $dgs }
cli-pa-passed = Passive Authentication passed
cli-pa-failed = Passive Authentication FAILED
pa-name-sod_structure = EF.SOD structure
pa-name-signer_certificate = document signer certificate
pa-name-content_type = signed content type
pa-name-message_digest = signed message digest
pa-name-sod_signature = EF.SOD signature
pa-name-issuer_trusted = document signer issued by a trusted root
pa-name-signer_validity = document signer validity period
pa-name-root_validity = root validity period
pa-name-signer_key_usage = document signer key usage
pa-name-issuer_country = document signer country
pa-name-signer_profile = document signer certificate profile
pa-name-revocation = revocation
pa-name-data_groups_read = data groups read
pa-name-data_group_hash = { $dg } hash
cli-err-no-signer-key = no document signer key: give --signer-key FILE or signer_key in --config
cli-err-no-signer-cert = no document signer certificate: give --signer-cert FILE or signer_certificate in --config
cli-err-no-master-key = no personalization master key: give --master-key FILE (or master_key_file in --config), or --test-master-key for virtual TEST chips
cli-err-signer-load = cannot load the document signer ({ $key } with { $cert })
cli-err-key-is-cert = { $path } is a certificate, not the document signer's private key: give the key file (--signer-key, signer_key; `ektp pki init` names it *.key.pem) and the certificate as --signer-cert
cli-err-cert-is-key = { $path } is a private key, not the document signer certificate: give the certificate (--signer-cert, signer_certificate; `ektp pki init` names it *.crt.pem)
cli-err-key-cert-mismatch = the document signer's key and certificate do not match: { $key } is not the private key of { $cert } (a key of another signer?); give the key and the certificate issued for it
cli-err-cannot-sign = { $path } cannot sign documents: { $why }; give the document signer certificate (`ektp pki init` names it ID-DS1-…crt.pem)
cli-why-not-x509 = it is not a well-formed X.509 certificate
cli-why-ca = { $subject } is a CA certificate (a root?), not a document signer
cli-why-no-digital-signature = the key usage of { $subject } does not allow digital signatures
cli-why-no-key-usage = { $subject } has no (readable) key usage
cli-err-master-key-read = cannot read the master key file { $path }
cli-err-master-key-large = master key file { $path } is too large: it must hold 64 hex digits
cli-err-master-key-digits = master key file { $path } must hold exactly 64 hex digits (32 bytes)
cli-fs-readable-by-others = others can read it: run `chmod 600 { $path }` and check who has seen it
cli-fs-too-large = the file is too large: not the expected file
cli-err-terminal-needs-key = --terminal-cert needs --terminal-key IS.key (the terminal's private key)
cli-err-terminal-not-is = { $path } is not a terminal (IS) certificate (its role is { $role }): give the inspection system's certificate as --terminal-cert and the DV's in --terminal-chain
cli-err-terminal-in-chain = { $path } is a terminal certificate: --terminal-chain takes the DV certificate (and CVCA link certificates); the terminal's own goes in --terminal-cert
cli-err-terminal-no-dv = --terminal-chain must name the DV certificate that issued the terminal's
cli-err-terminal-no-read-dg3 = terminal { $terminal } lacks the read-dg3 right (its chain grants: { $rights }): the chip would keep DG3 closed; ask the DV for a terminal certificate issued with --rights read-dg3
cli-err-key-file = cannot use the key file { $path }
cli-err-not-cv-key = { $path } is not a CV signing key: expected an unencrypted P-256 or brainpoolP256r1 key in PKCS#8 or SEC1 DER (as `ektp cvc` and `cvc-create` write them)
cli-err-cv-too-large = { $path } is { $bytes } bytes, larger than any CV certificate or request ({ $max }): not a CV certificate file
cli-err-not-cvc = { $path } is not a CV certificate (DER, BSI TR-03110-3)
cli-err-no-registry = no registry given: pass --registry URL or set registry in --config
cli-err-registry-connect = cannot connect to the registry
cli-err-registry-migrate = cannot apply the registry migrations
cli-err-registry-read = cannot read the registry (run `ektp registry init`?)
cli-err-revocation-signer = cannot load the revocation list signer
cli-err-revocation-export = cannot export the revocation list
cli-err-no-such-application = no application with that id or NIK in the registry
cli-err-no-journal-arg = no journal given: pass JOURNAL or set journal in --config
cli-err-journal-read = cannot read the journal { $path }
cli-err-no-journal = no journal: give --journal or set `journal` in the station config
cli-err-journal-no-card = the journal has no card with application id, document number or chip serial { $key }
cli-err-export-both = export: give --csv or --json, not both
cli-err-journal-state = --state { $value }: give issued, failed, abandoned, superseded or in_progress
cli-err-journal-day = { $option } { $value }: give a day as YYYY-MM-DD
cli-err-reissue-journal = --reissue needs the station's journal: give --journal or set `journal` in the station config
cli-err-perso-pulled = the card left the reader before it was finished: it is NOT locked; put the SAME card back and run the same command again to complete it
cli-err-perso-failed = FAILED to issue application { $id } on this card: { $detail }. The card is NOT locked: remove it and set it aside (the journal records the failure)
cli-err-perso-key = { $detail }: check the master key (this blank card belongs to another batch; the chip counts each failure)
cli-err-perso-removed = { $detail }: the card is NOT locked; put it back and run the same command again to complete it
cli-err-queue-read = cannot read the queue { $path }
cli-err-replaces-type = --replaces DOCUMENT_NUMBER goes with a replacement --type (data-change, damaged, lost, domicile-change), and only with one
cli-err-registry-refused = the registry refused application { $id }

# ektp registry: init, serve-status, export-revocations, status, import, submit; a batch's push.
cli-registry-ready = registry ready: {$applied} { NUMBER($applied) ->
    [one] migration
   *[other] migrations
    } applied
cli-registry-up = registry up: schema {$schema}, {$applications} applications, {$issued} issued, {$handed} handed over, {$revoked} revoked
cli-registry-wrote = wrote {$path} ({$bytes} bytes)
cli-registry-status-line = {$id}: {$status} ({$type})
cli-registry-status-line-card = {$id}: {$status} ({$type}, card {$doc})
cli-registry-status-submitted = submitted
cli-registry-status-issued = issued
cli-registry-status-ready = ready
cli-registry-status-collected = collected
cli-registry-status-refused = refused
cli-registry-status-abandoned = abandoned
cli-registry-type-new = new
cli-registry-type-data_change = data change
cli-registry-type-damaged = damaged
cli-registry-type-lost = lost
cli-registry-type-domicile_change = domicile change
cli-registry-imported = {$pushed} pushed, {$already} already in the registry, {$refused} refused
cli-registry-imported-stopped = {$pushed} pushed, {$already} already in the registry, {$refused} refused; stopped: {$why} (run again later)
cli-registry-refused = REFUSED {$doc}: {$why}
cli-registry-pushed = registry: {$pushed} { NUMBER($pushed) ->
    [one] card
   *[other] cards
    } pushed, {$already} already there
cli-registry-push-incomplete = registry: {$pushed} pushed, {$refused} refused, stopped: {$why}; the journal keeps every card: run `ektp registry import` when the registry is back
cli-registry-not-pushed = registry: not pushed ({$why}); the journal keeps every card: run `ektp registry import` when the registry is back
cli-registry-submitted = {$submitted} submitted, {$already} already in the registry, {$invalid} { NUMBER($invalid) ->
    [one] invalid application
   *[other] invalid applications
    } (fix with `ektp check`)
cli-err-replaces-one = --replaces names one card, but the queue holds {$valid} { NUMBER($valid) ->
    [one] valid application
   *[other] valid applications
    }: give a queue of one application

# station: en messages of the printing station (batch, journal, check; see ../../README.md).

# ektp journal (text; CSV and JSON keep their English column names for machines).
station-journal-head-started = STARTED (UTC)
station-journal-head-state = STATE
station-journal-head-application = APPLICATION
station-journal-head-document = DOCUMENT
station-journal-head-chip = CHIP
station-journal-head-note = NOTE
station-state-issued = issued
station-state-failed = failed
station-state-abandoned = abandoned
station-state-superseded = superseded
station-state-in_progress = in progress
station-journal-count = { NUMBER($rows) ->
        [one] { $rows } row
       *[other] { $rows } rows
    }: { $issued } issued, { $failed } failed, { $abandoned } abandoned, { $superseded } superseded, { $in_progress } in progress
station-journal-row = row { $id }: { $state }
station-journal-application = application
station-journal-document = document number
station-journal-chip = chip serial
station-journal-started = started
station-journal-finished = finished
station-journal-sod = EF.SOD SHA-256
station-journal-signer = document signer
station-journal-reason = reason

# ektp check
station-check-valid = OK
station-check-invalid = INVALID
station-check-valid-detail = (document { $doc }, { $type })
station-check-valid-replaces = (document { $doc }, { $type }, replaces { $replaced })
station-check-problems = ({ NUMBER($count) ->
        [one] { $count } problem
       *[other] { $count } problems
    })
station-check-document = (document)
station-check-some-invalid = { $invalid } of { NUMBER($total) ->
        [one] { $total } application
       *[other] { $total } applications
    } invalid: fix the fields listed, then check again
station-check-unreadable = { NUMBER($count) ->
        [one] { $count } file cannot be read: check the path
       *[other] { $count } files cannot be read: check the paths
    }
station-check-one-valid = 1 application valid
station-check-all-valid = all { $count } applications valid
station-type-new = new
station-type-data_change = data change
station-type-replacement_damaged = replacement of a damaged card
station-type-replacement_lost = replacement of a lost card
station-type-change_of_domicile = change of domicile

# Problems of an application (ektp-lds `Problem::message`; `detail` is the English reason).
lds-syntax = not valid JSON (line { $line }, column { $column })
lds-missing = is required but missing
lds-unknown = is not a field of this format; remove it
lds-wrong-type = { $detail }
lds-invalid = { $detail }
lds-nik = { $detail }
lds-not-eligible = holder is { $age } on the date of issue, under { $min } and never married: not eligible for a KTP
lds-file-unreadable = { $detail }
lds-too-large = larger than the limit of { $max } bytes
lds-bad-content = { $detail }
lds-fingerprint = { $detail }

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

# ektp batch: the operator's sentences (ektp-station words.rs; `detail` is an English reason).
station-detail = { $detail }
station-field-problem = { $field }: { $problem }
station-problems = { $nl }{ $items }
station-ev-waiting = Insert a blank card.
station-ev-waiting-put-back = Insert a blank card, or put back a half-written one (chip { $chips }).
station-ev-writing = Writing application { $application } (document { $doc }).
station-ev-writing-chip = Writing application { $application } (document { $doc }) on chip { $chip }.
station-ev-finishing = Finishing application { $application } (document { $doc }).
station-ev-finishing-chip = Finishing application { $application } (document { $doc }) on chip { $chip }.
station-ev-reader-stopped = This reader stopped: { $detail }. The other readers go on; the journal keeps its card (run again to go on with it).
station-ev-abandoned = Abandoned chip { $chip }: application { $application } goes on a new card. That card must never be handed out.
station-ev-invalid = Skipping invalid application { $application }:{ $problems }
station-ev-queue = Queue { $queue }: { $to_issue } to issue, { $already } already issued, { $invalid } invalid. Journal: { $journal }
station-ev-put-back = Put back the card with chip serial { $chip }: application { $application } (document { $doc }) was being written on it and will be finished.
station-ev-insert = Insert a blank card for application { $application } (document { $doc }).
station-ev-issued = Issued application { $application } (document { $doc }) on chip { $chip }. Remove the card.
station-ev-failed = FAILED to issue application { $application } on this card: { $detail }. The card is NOT locked: remove it and set it aside.
station-ev-pulled = The card left the reader before application { $application } was finished. Put the SAME card back in: it will be finished. (Do not use it for anything else.)
station-ev-set-aside = Application { $application } failed on { NUMBER($cards) ->
        [one] { $cards } card
       *[other] { $cards } cards
    }: set aside for this run.
station-ev-timed-out = No card arrived within { $seconds } s: stopping. Run the batch again to go on.
station-ev-remove-card = Still waiting: remove the card from the reader.
station-ev-removal-timed-out = The finished card was not removed within { $seconds } s: stopping. Remove it, then run the batch again to go on.
station-ev-stopped = Stopped by the operator.
station-ev-skipped = Skipping application { $application } (document { $doc }): { $detail }. No card is written for it here.
station-ev-pushed = Registry: application { $application } (document { $doc }) recorded.
station-ev-push-refused = The registry REFUSES application { $application } (document { $doc }): { $detail }. The journal keeps the card; report it to the registry's operator.
station-ev-registry-offline = Registry unreachable ({ $detail }): going on offline. The journal keeps every card; they are pushed when the registry is back (after the run, or `ektp registry import`), and any conflict is reported then.
station-refusal-already-issued = This card is already issued (locked): it is not blank. Remove it and insert a blank card.
station-refusal-not-ektp = This card does not answer as an e-KTP chip ({ $detail }). Remove it and set it aside.
station-refusal-not-the-card = This card is already issued and does not verify as application { $application } ({ $detail }): it is not the card that application was being written on. Remove it and put chip { $chip } back.
station-refusal-no-serial = This card does not give its chip serial ({ $detail }). Remove it and set it aside.
station-refusal-wrong-chip = This is chip { $chip }, but application { $application } was being written on chip { $expected }. Remove it and put chip { $expected } back (if that card is lost or destroyed, see --abandon).
station-refusal-abandoned = abandoned chip: destroy it. The journal records chip { $chip } as abandoned; it must never be written or handed out. Nothing was written.
station-refusal-half-written = Chip { $chip } is half-written with application { $application }: nothing was written. Finish it with that application (batch or personalize), or, if it must not be finished, --abandon { $chip } and destroy it.
station-refusal-nothing = Chip { $chip } is blank, but every application left is half-written on another chip or being written in another reader: nothing was written. Remove it.
station-refusal-nothing-put-back = Chip { $chip } is blank, but every application left is half-written on another chip or being written in another reader: nothing was written. Remove it and put back chip { $chips }.
station-refusal-unlocked = The journal records chip { $chip } as issued to application { $application }, but the chip is not locked. Remove it, set it aside and report it.
station-summary = Batch summary: { $issued } issued now, { $already } already issued before, { $invalid } invalid, { $failed } failed, { $skipped } skipped, { $remaining } left in the queue ({ $seconds } s). The journal holds { NUMBER($total) ->
        [one] { $total } issued card
       *[other] { $total } issued cards
    }.{ $nl }{ $lines }
station-summary-invalid = invalid: { $application }: { $problems }
station-summary-failed = failed:  { $application }: { $problems }
station-summary-skipped = skipped: { $application }: { $problems }
station-summary-reader-stopped = reader stopped: { $reader }: { $detail }
station-summary-half-written = half-written: chip { $chip } (application { $application }): put it back in the next run, or --abandon { $chip } if it is lost or destroyed
station-bar = { $pos }/{ $len } cards  { $rate } cards/min  { $eta } left
station-stopping = Stopping after the card in the reader (if any) is finished; Ctrl-C again to stop at once.
station-stopping-now = Stopping at once.
station-err-reader-twice = reader "{ $reader }" is given twice: give each reader once
station-test-key-warning = WARNING: using the TEST ONLY personalization master key (cards/test-keys/perso-master-TEST-ONLY.hex). It is public: only virtual test chips accept it. Never use it at a real printing station.

# ektp personalize
station-perso-reissue-nothing = note: the journal has no card issued for application { $id }: --reissue has nothing to replace, the card is issued as a first card
station-perso-recorded = recorded in journal { $journal }: application { $application } issued on chip { $chip }

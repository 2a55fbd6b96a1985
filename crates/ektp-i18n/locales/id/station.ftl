# station: id messages of the printing station (batch, journal, check; see ../../README.md).

# Bantuan argumen subperintah journal dan registry (help-PERINTAH-ID, value-NAMA).
help-journal-list-journal = Jurnal penerbitan stasiun (SQLite) [bawaan: `journal` di konfigurasi stasiun]
help-journal-show-journal = Jurnal penerbitan stasiun (SQLite) [bawaan: `journal` di konfigurasi stasiun]
help-journal-export-journal = Jurnal penerbitan stasiun (SQLite) [bawaan: `journal` di konfigurasi stasiun]
help-journal-list-state = Hanya baris dengan status ini: issued, failed, abandoned, superseded, in_progress
help-journal-export-state = Hanya baris dengan status ini: issued, failed, abandoned, superseded, in_progress
help-journal-list-since = Hanya kartu yang dimulai pada atau sesudah hari ini (YYYY-MM-DD, UTC)
help-journal-export-since = Hanya kartu yang dimulai pada atau sesudah hari ini (YYYY-MM-DD, UTC)
help-journal-list-until = Hanya kartu yang dimulai pada atau sebelum hari ini (YYYY-MM-DD, UTC)
help-journal-export-until = Hanya kartu yang dimulai pada atau sebelum hari ini (YYYY-MM-DD, UTC)
help-journal-show-key = Id permohonan, nomor dokumen atau nomor seri cip (heksadesimal)
help-journal-export-csv = CSV dengan baris judul (bawaan; --json memberi JSON)
value-STATE = STATUS
value-DATE = HARI
value-DAYS = HARI
value-JOURNAL = JURNAL
value-QUEUE = ANTREAN
value-ID_OR_NIK = ID_ATAU_NIK
value-DOCUMENT_NUMBER = NOMOR_DOKUMEN
value-APPLICATION_DOCUMENT_CHIP = PERMOHONAN|DOKUMEN|CIP
help-registry-init-registry = Registri: `postgresql://user@host/db` atau `host=… user=… dbname=…` [konfigurasi: registry; env: EKTP_REGISTRY]
help-registry-serve-status-registry = Registri: `postgresql://user@host/db` atau `host=… user=… dbname=…` [konfigurasi: registry; env: EKTP_REGISTRY]
help-registry-export-revocations-registry = Registri: `postgresql://user@host/db` atau `host=… user=… dbname=…` [konfigurasi: registry; env: EKTP_REGISTRY]
help-registry-status-registry = Registri: `postgresql://user@host/db` atau `host=… user=… dbname=…` [konfigurasi: registry; env: EKTP_REGISTRY]
help-registry-submit-registry = Registri: `postgresql://user@host/db` atau `host=… user=… dbname=…` [konfigurasi: registry; env: EKTP_REGISTRY]
help-registry-import-registry = Registri: `postgresql://user@host/db` atau `host=… user=… dbname=…` [konfigurasi: registry; env: EKTP_REGISTRY]
help-registry-export-revocations-signer_key = Kunci privat penanda tangan daftar pencabutan (PKCS#8 PEM)
help-registry-export-revocations-signer_cert = Sertifikat penanda tangan daftar pencabutan (diterbitkan oleh CSCA)
help-registry-export-revocations-list_number = Nomor daftar (beri setiap daftar baru nomor yang lebih besar)
help-registry-export-revocations-valid_days = Hari sampai nextUpdate; loket menolak daftar sesudahnya
help-registry-export-revocations-out = Tempat menulis daftar (tidak pernah ditimpa)
help-registry-status-id_or_nik = Id permohonan atau NIK pemegang
help-registry-submit-queue = Antrean: direktori permohonan (seperti yang diambil `ektp batch`; id setiap permohonan adalah nama berkas atau direktorinya)
help-registry-submit-kind = Jenis permohonan: new (kartu pertama), data-change (data pemegang berubah), damaged (kartu rusak), lost (kartu hilang; dicabut saat permohonan diterima), domicile-change (pemegang pindah domisili)
help-registry-submit-replaces = Nomor dokumen kartu yang diakhiri oleh penggantian (hanya antrean berisi satu permohonan)
help-registry-submit-by = Siapa yang menerima permohonan (dicatat bersama pencabutan kartu yang hilang)
help-registry-import-journal = Jurnal stasiun [bawaan: `journal` di konfigurasi stasiun]

# ektp journal (teks; CSV dan JSON tetap memakai nama kolom bahasa Inggris untuk mesin).
station-journal-head-started = MULAI (UTC)
station-journal-head-state = STATUS
station-journal-head-application = PERMOHONAN
station-journal-head-document = DOKUMEN
station-journal-head-chip = CIP
station-journal-head-note = CATATAN
station-state-issued = diterbitkan
station-state-failed = gagal
station-state-abandoned = ditinggalkan
station-state-superseded = diganti
station-state-in_progress = sedang berjalan
station-journal-count = { $rows } baris: { $issued } diterbitkan, { $failed } gagal, { $abandoned } ditinggalkan, { $superseded } diganti, { $in_progress } sedang berjalan
station-journal-row = baris { $id }: { $state }
station-journal-application = permohonan
station-journal-document = nomor dokumen
station-journal-chip = nomor seri cip
station-journal-started = mulai
station-journal-finished = selesai
station-journal-sod = EF.SOD SHA-256
station-journal-signer = penanda tangan dokumen
station-journal-reason = alasan

# ektp check
station-check-valid = SAH
station-check-invalid = TIDAK SAH
station-check-valid-detail = (dokumen { $doc }, { $type })
station-check-valid-replaces = (dokumen { $doc }, { $type }, mengganti { $replaced })
station-check-problems = ({ $count } masalah)
station-check-document = (dokumen)
station-check-some-invalid = { $invalid } dari { $total } permohonan tidak sah: perbaiki bidang yang disebut, lalu periksa lagi
station-check-unreadable = { $count } berkas tidak dapat dibaca: periksa jalurnya
station-check-one-valid = 1 permohonan sah
station-check-all-valid = semua { $count } permohonan sah
station-type-new = baru
station-type-data_change = perubahan data
station-type-replacement_damaged = pengganti kartu rusak
station-type-replacement_lost = pengganti kartu hilang
station-type-change_of_domicile = pindah domisili

# Masalah permohonan (ektp-lds `Problem::message`; `detail` alasan bahasa Inggris, tidak ditampilkan).
lds-syntax = bukan JSON yang sah (baris { $line }, kolom { $column })
lds-missing = wajib ada tetapi tidak ada
lds-unknown = bukan bidang format ini; hapuslah
lds-wrong-type = jenis nilainya salah (lihat format ektp-application/1)
lds-invalid = nilainya tidak memenuhi aturan format (lihat format ektp-application/1)
lds-nik = NIK tidak sah atau tidak sesuai dengan pemegang (tanggal lahir, jenis kelamin, wilayah)
lds-not-eligible = pemegang berumur { $age } tahun pada tanggal penerbitan, di bawah { $min } dan belum pernah menikah: tidak berhak atas KTP
lds-file-unreadable = berkas tidak dapat dibaca: periksa jalurnya
lds-too-large = lebih besar dari batas { $max } bita
lds-bad-content = isi berkas tidak sah
lds-fingerprint = sidik jari tidak dapat didaftarkan: ambil ulang sidik jarinya

# ektp batch: kalimat untuk operator (ektp-station words.rs; `detail` alasan teknis bahasa Inggris).
station-detail = { $detail }
station-field-problem = { $field }: { $problem }
station-problems = { $nl }{ $items }
station-ev-waiting = Masukkan kartu kosong.
station-ev-waiting-put-back = Masukkan kartu kosong, atau kembalikan kartu yang setengah ditulis (cip { $chips }).
station-ev-writing = Menulis permohonan { $application } (dokumen { $doc }).
station-ev-writing-chip = Menulis permohonan { $application } (dokumen { $doc }) pada cip { $chip }.
station-ev-finishing = Menyelesaikan permohonan { $application } (dokumen { $doc }).
station-ev-finishing-chip = Menyelesaikan permohonan { $application } (dokumen { $doc }) pada cip { $chip }.
station-ev-reader-stopped = Pembaca ini berhenti (rincian: { $detail }). Pembaca lain tetap berjalan; jurnal menyimpan kartunya (jalankan lagi untuk melanjutkannya).
station-ev-abandoned = Cip { $chip } ditinggalkan: permohonan { $application } ditulis pada kartu baru. Kartu itu tidak boleh diserahkan.
station-ev-invalid = Permohonan tidak sah { $application } dilewati:{ $problems }
station-ev-queue = Antrean { $queue }: { $to_issue } akan diterbitkan, { $already } sudah diterbitkan, { $invalid } tidak sah. Jurnal: { $journal }
station-ev-put-back = Kembalikan kartu dengan nomor seri cip { $chip }: permohonan { $application } (dokumen { $doc }) sedang ditulis padanya dan akan diselesaikan.
station-ev-insert = Masukkan kartu kosong untuk permohonan { $application } (dokumen { $doc }).
station-ev-issued = Permohonan { $application } (dokumen { $doc }) diterbitkan pada cip { $chip }. Keluarkan kartunya.
station-ev-failed = GAGAL menerbitkan permohonan { $application } pada kartu ini (rincian: { $detail }). Kartu TIDAK dikunci: keluarkan dan sisihkan.
station-ev-pulled = Kartu keluar dari pembaca sebelum permohonan { $application } selesai. Masukkan kembali kartu YANG SAMA: kartu itu akan diselesaikan. (Jangan dipakai untuk hal lain.)
station-ev-set-aside = Permohonan { $application } gagal pada { $cards } kartu: disisihkan untuk putaran ini.
station-ev-timed-out = Tidak ada kartu datang dalam { $seconds } detik: berhenti. Jalankan batch lagi untuk melanjutkan.
station-ev-remove-card = Masih menunggu: keluarkan kartu dari pembaca.
station-ev-removal-timed-out = Kartu yang selesai tidak dikeluarkan dalam { $seconds } detik: berhenti. Keluarkan, lalu jalankan batch lagi untuk melanjutkan.
station-ev-stopped = Dihentikan oleh operator.
station-ev-skipped = Permohonan { $application } (dokumen { $doc }) dilewati (rincian: { $detail }). Tidak ada kartu yang ditulis untuknya di sini.
station-ev-pushed = Registri: permohonan { $application } (dokumen { $doc }) tercatat.
station-ev-push-refused = Registri MENOLAK permohonan { $application } (dokumen { $doc }) (rincian: { $detail }). Jurnal menyimpan kartunya; laporkan kepada operator registri.
station-ev-registry-offline = Registri tidak dapat dihubungi (rincian: { $detail }): lanjut tanpa registri. Jurnal menyimpan setiap kartu; kartu dikirim saat registri kembali (setelah putaran, atau `ektp registry import`), dan setiap konflik dilaporkan saat itu.
station-refusal-already-issued = Kartu ini sudah diterbitkan (dikunci): bukan kartu kosong. Keluarkan dan masukkan kartu kosong.
station-refusal-not-ektp = Kartu ini tidak menjawab sebagai cip e-KTP (rincian: { $detail }). Keluarkan dan sisihkan.
station-refusal-not-the-card = Kartu ini sudah diterbitkan dan tidak terverifikasi sebagai permohonan { $application } (rincian: { $detail }): bukan kartu tempat permohonan itu sedang ditulis. Keluarkan dan kembalikan cip { $chip }.
station-refusal-no-serial = Kartu ini tidak memberikan nomor seri cipnya (rincian: { $detail }). Keluarkan dan sisihkan.
station-refusal-wrong-chip = Ini cip { $chip }, tetapi permohonan { $application } sedang ditulis pada cip { $expected }. Keluarkan dan kembalikan cip { $expected } (bila kartu itu hilang atau rusak, lihat --abandon).
station-refusal-abandoned = cip ditinggalkan: musnahkan. Jurnal mencatat cip { $chip } sebagai ditinggalkan; cip itu tidak boleh ditulis atau diserahkan. Tidak ada yang ditulis.
station-refusal-half-written = Cip { $chip } setengah ditulis dengan permohonan { $application }: tidak ada yang ditulis. Selesaikan dengan permohonan itu (batch atau personalize), atau, bila tidak boleh diselesaikan, --abandon { $chip } lalu musnahkan.
station-refusal-nothing = Cip { $chip } kosong, tetapi setiap permohonan yang tersisa setengah ditulis pada cip lain atau sedang ditulis di pembaca lain: tidak ada yang ditulis. Keluarkan.
station-refusal-nothing-put-back = Cip { $chip } kosong, tetapi setiap permohonan yang tersisa setengah ditulis pada cip lain atau sedang ditulis di pembaca lain: tidak ada yang ditulis. Keluarkan dan kembalikan cip { $chips }.
station-refusal-unlocked = Jurnal mencatat cip { $chip } sebagai diterbitkan untuk permohonan { $application }, tetapi cipnya tidak dikunci. Keluarkan, sisihkan dan laporkan.
station-summary = Ringkasan batch: { $issued } diterbitkan sekarang, { $already } sudah diterbitkan sebelumnya, { $invalid } tidak sah, { $failed } gagal, { $skipped } dilewati, { $remaining } tersisa di antrean ({ $seconds } detik). Jurnal memuat { $total } kartu yang diterbitkan.{ $nl }{ $lines }
station-summary-invalid = tidak sah: { $application }: { $problems }
station-summary-failed = gagal: { $application }: { $problems }
station-summary-skipped = dilewati: { $application }: { $problems }
station-summary-reader-stopped = pembaca berhenti: { $reader } (rincian: { $detail })
station-summary-half-written = setengah ditulis: cip { $chip } (permohonan { $application }): kembalikan pada putaran berikutnya, atau --abandon { $chip } bila hilang atau rusak
station-bar = { $pos }/{ $len } kartu  { $rate } kartu/menit  sisa { $eta }
station-stopping = Berhenti setelah kartu di pembaca (bila ada) selesai; tekan Ctrl-C lagi untuk langsung berhenti.
station-stopping-now = Langsung berhenti.
station-err-reader-twice = pembaca "{ $reader }" diberikan dua kali: berikan setiap pembaca sekali
station-test-key-warning = PERINGATAN: memakai kunci induk personalisasi khusus UJI (cards/test-keys/perso-master-TEST-ONLY.hex). Kunci ini publik: hanya cip uji virtual yang menerimanya. Jangan pernah dipakai di stasiun cetak sungguhan.

# ektp personalize
station-perso-reissue-nothing = catatan: jurnal tidak memuat kartu yang diterbitkan untuk permohonan { $id }: --reissue tidak mengganti apa pun, kartu diterbitkan sebagai kartu pertama
station-perso-recorded = tercatat di jurnal { $journal }: permohonan { $application } diterbitkan pada cip { $chip }

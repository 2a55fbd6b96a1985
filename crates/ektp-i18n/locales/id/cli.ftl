# cli: id messages (see ../../README.md). Teks baris perintah untuk orang; help-* dan about-*
# (teks --help) hanya ada di sini: teks bahasa Inggrisnya adalah komentar dokumen definisi clap.
cli-error = galat
cli-warning = peringatan
cli-bad-lang = bahasa { $value } tidak dikenal: pakai id atau en
cli-warn-ignored = peringatan: { $option } tidak dipakai oleh `ektp { $command }`: diabaikan
cli-verdict-failed = TIDAK TERVERIFIKASI: JANGAN DISERAHKAN kartu ini
cli-verdict-passed = TERVERIFIKASI: LULUS semua pemeriksaan, kartu boleh diserahkan
cli-verdict-passed-but = TERVERIFIKASI: LULUS semua pemeriksaan yang dilakukan; { $skipped }
cli-not-checked-revocation = pencabutan tidak diperiksa (tidak ada daftar pencabutan)
cli-not-checked-fingerprint = sidik jari pemegang tidak diperiksa
cli-not-checked-other = { $check } tidak diperiksa
cli-verdict-wrong-can = TIDAK TERVERIFIKASI: CAN salah ({ $free } kali berturut-turut sebelum cip melambat: lalu cip menunggu { $wait } detik, berlipat dua hingga { $max } detik, dan tidak pernah terkunci); ketik ulang 6 angka yang tercetak pada kartu. Kartu itu sendiri belum diperiksa
cli-verdict-wrong-can-plain = TIDAK TERVERIFIKASI: CAN salah: ketik ulang 6 angka yang tercetak pada kartu. Kartu itu sendiri belum diperiksa
cli-verdict-line = { $verdict } dalam { $took } ({ $stats })
cli-stats = { $apdus } APDU, { $sent } bita dikirim, { $received } diterima, { $wire } menunggu kartu
cli-failed-line = GAGAL { $check }: { $reason }
cli-pa-detail = Rincian Autentikasi Pasif:
cli-throttle-waiting = cip memperlambat CAN yang salah (beberapa percobaan salah berturut-turut): menunggu hingga { $max } detik
cli-throttle-waited = cip membuat PACE menunggu { $took } karena CAN salah sebelumnya
cli-using-reader = memakai pembaca "{ $name }"
cli-waiting-for-card = menunggu kartu di pembaca "{ $name }" hingga { $seconds } detik
cli-file-written = { $what } ({ $bytes } bita) ditulis ke { $path }
cli-what-face = tampilan kartu (PNG)
cli-what-pdf = cetakan (PDF)
cli-read-done = { $read } dibaca dalam { $took } (belum diverifikasi: pakai `ektp verify` untuk itu)
cli-read-done-only = { $read } dibaca dalam { $took }
cli-label-fingerprints = sidik jari
cli-match-yes = COCOK
cli-match-no = TIDAK COCOK
cli-match-line = { $verdict }: skor { $score } { $cmp } ambang { $threshold } ({ $minutiae_a } minusi di { $a }, { $minutiae_b } di { $b })
cli-err-wrong-can = CAN salah: periksa 6 angka yang tercetak pada kartu
cli-err-no-service = layanan PC/SC tidak berjalan: jalankan pcscd
cli-err-no-readers = tidak ada pembaca kartu pintar: sambungkan pembaca
cli-err-unknown-reader = tidak ada pembaca bernama "{ $name }"
cli-err-ambiguous-reader = nama pembaca "{ $name }" cocok dengan beberapa pembaca: berikan nama lengkapnya
cli-err-reader-unavailable = pembaca "{ $reader }" tidak tersedia (dicabut, atau pengandar gagal)
cli-err-no-card = tidak ada kartu di pembaca "{ $reader }"
cli-err-no-card-any = tidak ada kartu di pembaca mana pun
cli-err-several-cards = ada kartu di beberapa pembaca: sebutkan pembaca yang dipakai dengan --reader NAMA
cli-err-card-removed = kartu dicabut saat perintah berjalan
cli-err-card-reset = kartu direset oleh aplikasi lain: sambungkan ulang dan mulai lagi
cli-err-unresponsive = kartu di pembaca "{ $reader }" tidak menjawab: masukkan ulang (atau ini bukan kartu pintar)
cli-err-sharing = pembaca "{ $reader }" sedang dipakai khusus oleh aplikasi lain
cli-err-timeout = waktu menunggu kartu habis
cli-err-reader = pembaca kartu gagal
cli-hint-insert = masukkan kartu (atau berikan --wait DETIK)
cli-hint-put-back = letakkan kembali kartu dan jalankan perintah yang sama lagi
cli-hint-close-other = tutup aplikasi lain yang memakai pembaca
cli-hint-readers = jalankan `ektp readers` untuk melihat namanya
cli-hint-malformed = jawaban kartu tidak masuk akal: masukkan ulang kartu dan coba lagi; jika tetap terjadi, kartu rusak atau bukan e-KTP
cli-io-not-found = berkas atau direktori tidak ada
cli-io-denied = izin ditolak
cli-err-no-trust = tidak ada penyimpanan kepercayaan: berikan --trust DIREKTORI (akar dan CRL) atau trust_dir di --config
cli-err-trust-load = penyimpanan kepercayaan { $path } tidak dapat dimuat
cli-err-trust-no-root = penyimpanan kepercayaan { $path } tidak memuat sertifikat akar: letakkan akar dinas (.pem/.crt) di sana
cli-err-can-file = berkas CAN { $path } tidak dapat dibaca
cli-err-config-load = berkas konfigurasi { $path } tidak dapat dibaca
cli-err-config-too-large = berkas konfigurasi { $path } lebih besar dari 64 KiB: apakah ini berkas yang benar?
cli-err-config-invalid = berkas konfigurasi { $path } tidak sah (jalankan dengan --lang en untuk melihat baris dan kolom kesalahannya)
cli-err-revocation-load = daftar pencabutan { $path } tidak dapat dimuat
cli-err-print-unusable = { $path } bukan gambar sidik jari yang dapat dipakai maupun rekaman ISO/IEC 19794-2; berikan PNG skala abu 8 bit 500 ppi atau rekaman minusi
cli-err-read = { $path } tidak dapat dibaca
cli-err-journal-open = jurnal { $path } tidak dapat dibuka
cli-err-write = { $path } tidak dapat ditulis
cli-err-kind-failed = pemeriksaan gagal
cli-err-kind-usage = penggunaan salah
cli-err-kind-card = galat kartu atau pembaca
cli-err-kind-config = galat konfigurasi atau berkas
cli-err-kind-token = galat token (PKCS#11)
cli-err-detail = rincian
clap-err-unknown-arg = argumen '{ $arg }' tidak dikenal
clap-err-invalid-value = nilai '{ $value }' tidak sah untuk '{ $arg }'
clap-err-missing = argumen wajib berikut tidak diberikan: { $args }
clap-err-missing-value = '{ $arg }' memerlukan nilai, tetapi tidak ada yang diberikan
clap-err-unknown-command = perintah '{ $command }' tidak dikenal
clap-err-conflict = argumen '{ $arg }' tidak dapat dipakai bersama '{ $other }'
clap-err-other = penggunaan salah
clap-more-info = Untuk informasi lebih lanjut, coba '--help'.
clap-usage = Penggunaan:
clap-options = Opsi:
clap-commands = Perintah:
clap-arguments = Argumen:
clap-options-placeholder = [OPSI]
clap-command-placeholder = <PERINTAH>
clap-default = [bawaan:
clap-possible = [nilai yang mungkin:
clap-possible-long = Nilai yang mungkin:
clap-help-more = Tampilkan bantuan (lebih lengkap dengan '--help')
clap-help-summary = Tampilkan bantuan (ringkas dengan '-h')
clap-help-sub = Tampilkan pesan ini atau bantuan perintah yang disebut
clap-help = Tampilkan bantuan
clap-version = Tampilkan versi
# Nama nilai di --help (VALUE NAME → value-NAME, selain huruf dan angka menjadi _).
value-FILE = BERKAS
value-DIR = DIREKTORI
value-NAME = NAMA
value-SECONDS = DETIK
value-SCORE = SKOR
value-LANG = BAHASA
value-APPLICATION_json = PERMOHONAN.json
value-FINGER_FILE = JARI=BERKAS
value-FIELD___ = BIDANG,...
value-URL = URL
value-REF = REF
# Perintah (about-PERINTAH) dan argumen (help-ID, atau help-PERINTAH-ID bila berbeda).
about-ektp = Personalisasi, baca dan verifikasi kartu identitas e-KTP (cip ICAO 9303) melalui PC/SC
about-readers = Daftar pembaca PC/SC, apakah masing-masing berisi kartu, dan ATR kartunya
about-pki = Alat PKI dan sertifikat untuk UJI
about-cvc = PKI terminal untuk Extended Access Control: sertifikat CV CVCA, DV dan terminal
about-check = Periksa berkas permohonan tanpa kartu (setiap masalah, per bidang)
about-personalize = Personalisasi satu kartu kosong di pembaca dari berkas permohonan
about-batch = Stasiun cetak: personalisasi antrean permohonan, satu kartu demi satu kartu
about-journal = Stasiun cetak: laporan jurnal (diterbitkan, gagal, ditinggalkan, sedang berjalan; per tanggal)
about-registry = Registri penerbitan (PostgreSQL): init, serve-status, export-revocations, import
about-read = Baca data kartu (PACE dengan CAN): JSON atau ringkasan yang mudah dibaca
about-verify = Loket pengambilan: verifikasi kartu (tanda tangan, cip asli, tidak dicabut, data cocok)
about-match = Beri skor dua sidik jari (gambar PNG 500 ppi atau rekaman ISO/IEC 19794-2) dengan BOZORTH3
about-serve = Layanan HTTP lokal untuk sistem berbasis peramban dan halaman loket pengambilan (loopback, token, asal yang diizinkan)
about-sim = Jalankan cip e-KTP virtual di pembaca virtual pcscd (vpcd) hingga Ctrl-C
about-demo = Personalisasi, baca dan verifikasi kartu virtual di dalam proses: tanpa pembaca, tanpa pcscd
about-completions = Cetak pelengkapan perintah untuk shell
about-man = Cetak halaman manual (roff), atau tulis satu halaman per perintah ke direktori
about-help = Tampilkan pesan ini atau bantuan perintah yang disebut
help-can = Nomor akses kartu (CAN) 6 angka yang tercetak pada kartu; tanpa ini (dan tanpa EKTP_CAN atau --can-file) ektp menanyakannya, tanpa gema, bila dijalankan di terminal
help-can_file = Baca CAN dari BERKAS, untuk skrip (hanya pemiliknya yang boleh dapat membacanya: chmod 600)
help-verify-trust = Direktori penyimpanan kepercayaan: akar dinas dan CRL [konfigurasi: trust_dir]
help-verify-expect = Permohonan yang harus dimuat kartu (NIK, nama, tanggal lahir, nomor dokumen, dan setiap grup data yang ditentukannya, termasuk pasfoto dan tanda tangan)
help-verify-revocation_list = Daftar pencabutan bertanda tangan dari dinas (DER CMS, `ektp registry export-revocations`), diperiksa terhadap --trust dan ditolak bila kedaluwarsa atau tidak ditandatangani penanda tangan pencabutan [konfigurasi: revocation_list]; tanpa daftar, not_revoked menjadi LEWAT
help-verify-revoked = Hanya untuk UJI: daftar teks TANPA tanda tangan, satu nomor dokumen yang dicabut per baris (ada peringatannya; loket memakai --revocation-list)
help-verify-require_revoked = Tolak verifikasi tanpa daftar pencabutan [konfigurasi: require_revocation_list]
help-verify-journal = Jurnal penerbitan stasiun cetak: kartu harus yang tercatat sebagai diterbitkan (nomor dokumen dan EF.SOD sama) [konfigurasi: journal]
help-face = Tulis tampilan kartu (foto, tanda tangan, setiap bidang dengan label Indonesianya) sebagai PNG ke BERKAS (0600)
help-pdf = Tulis cetakan PDF A4 (tampilan kartu, setiap bidang, hasil verifikasi atau "tidak diverifikasi", dan waktunya) ke BERKAS (0600)
help-lang = Bahasa teks untuk orang: id (Bahasa Indonesia) atau en [bawaan: dari LC_ALL, LC_MESSAGES, LANG; bahasa Inggris kecuali Indonesia]
help-terminal_cert = Sertifikat CV terminal (sistem inspeksi): bersama --terminal-chain dan --terminal-key, Terminal Authentication membuka DG3 (sidik jari)
help-terminal_chain = Sertifikat DV yang menerbitkan sertifikat terminal, dan sertifikat tautan CVCA yang diperlukan cip (dipisah koma)
help-terminal_key = Kunci privat terminal (PKCS#8 DER dari `ektp cvc request`; hanya pemiliknya yang boleh dapat membacanya: chmod 600)
help-verify-fingers = Pemindaian langsung jari pemegang untuk pemeriksaan sidik jari: JARI adalah right-index atau left-index, BERKAS PNG skala abu 8 bit 500 ppi atau rekaman ISO/IEC 19794-2. Ulangi untuk percobaan berikutnya (masing-masing dihitung terhadap batas percobaan sesi kartu). Perlu terminal (--terminal-cert …) untuk membuka DG3
help-verify-registry = Registri penerbitan: kartu harus yang tercatat sebagai diterbitkan (EF.SOD sama) dan tidak dicabut; setelah LULUS, penyerahan dicatat, sekali [konfigurasi: registry]
help-verify-desk = Nama loket ini, dicatat bersama penyerahan
help-verify-power_of_attorney = Pengambil adalah wakil dengan surat kuasa: nomor rujukannya
help-verify-fingerprint_score = Pemegang mengambil sendiri, diperiksa pada pembaca sidik jari terpisah: skornya (pencocokan --finger langsung oleh verify ini dipakai bila ada)
help-wait = Tunggu kartu di pembaca hingga sekian detik (bawaan: tidak menunggu)
help-reader = Pembaca PC/SC yang dipakai: namanya atau bagian unik darinya [bawaan: satu-satunya pembaca yang berisi kartu; konfigurasi: reader]
help-config = Berkas konfigurasi stasiun (TOML: pembaca, kunci dan sertifikat penanda tangan, penyimpanan kepercayaan, berkas kunci induk, jurnal, daftar pencabutan)
help-json = Keluaran JSON untuk mesin di stdout
help-verbose = Lebih banyak keluaran di stderr (-v info, -vv jejak APDU dengan waktu, tidak pernah data)
help-quiet = Lebih sedikit keluaran di stderr (hanya galat, tanpa kemajuan)
help-help = Tampilkan bantuan
help-version = Tampilkan versi
help-photo = Tulis gambar pasfoto (JPEG atau JPEG 2000, seperti tersimpan) ke BERKAS
help-signature = Tulis gambar tanda tangan (JPEG atau JPEG 2000, seperti tersimpan) ke BERKAS
help-only = Baca hanya bidang ini (dipisah koma), dan hanya grup data yang memuatnya: nik, name (nama), place_of_birth (tempat lahir), date_of_birth (tanggal lahir), sex (jenis kelamin), blood_type (golongan darah), address (alamat), religion (agama), marital_status (status perkawinan), occupation (pekerjaan), citizenship (WNI atau WNA), nationality (kode kewarganegaraan), validity (berlaku hingga), document_number (nomor dokumen), issuing_office (kabupaten/kota penerbit), date_of_issue (tanggal terbit), mrz (tiga baris MRZ), photo (pasfoto), signature (gambar tanda tangan)
help-fingerprints = Tulis templat sidik jari DG3 (satu rekaman minusi ISO/IEC 19794-2 per jari, 0600) ke DIREKTORI; perlu terminal (--terminal-cert …) dengan hak read-dg3
help-match-a = Sampel: PNG skala abu 8 bit 500 ppi atau rekaman ISO/IEC 19794-2 (misalnya pemindaian langsung)
help-match-b = Sidik jari galeri, dalam salah satu bentuk itu (misalnya templat dari `ektp read --fingerprints`)
help-match-threshold = Ambang keputusan, skor BOZORTH3 [konfigurasi: fingerprint_threshold] [bawaan: 40]
after-help-ektp =
    Status keluar:
      0  berhasil (untuk verify: setiap pemeriksaan LULUS)
      1  verifikasi atau validasi gagal (pemeriksaan gagal, permohonan tidak sah; untuk verify termasuk CAN salah: pemeriksaan PACE gagal)
      2  penggunaan salah (opsi atau argumen salah, sesuatu yang wajib tidak diberikan)
      3  galat kartu atau pembaca (tidak ada layanan PC/SC, tidak ada pembaca, tidak ada kartu, kartu dicabut; CAN salah saat membaca atau personalisasi)
      4  galat konfigurasi atau berkas (konfigurasi, kunci, sertifikat, penyimpanan kepercayaan, berkas status)
      20 modul PKCS#11 tidak ada atau tidak dapat dimuat (--pkcs11-module, pkcs11_module)
      21 token PKCS#11 tidak ada (label yang ada didaftar)
      22 PIN token salah (sisa percobaan, bila token memberi tahu)
      23 PIN token terkunci
      24 kunci tidak ada di token (objek yang ada didaftar)
      25 kunci token tidak sesuai penggunaannya (jenis, kurva, tidak boleh menandatangani, sertifikat)
      26 URI pkcs11:, berkas PIN atau PIN salah
      27 token gagal saat operasi
    
    Mulai dengan `ektp demo`: tanpa pembaca dan tanpa pcscd.
cli-err-revocation-refused = daftar pencabutan { $path } ditolak (loket tidak pernah memverifikasi dengan daftar yang kedaluwarsa, tanpa tanda tangan atau tidak tepercaya; ambil daftar terbaru dari dinas)
cli-warn-unsigned-revocations = peringatan: { $path } adalah daftar pencabutan teks TANPA tanda tangan: hanya untuk UJI; loket memakai daftar bertanda tangan dari dinas (--revocation-list BERKAS)
cli-err-revocation-required = loket ini mewajibkan daftar pencabutan: berikan --revocation-list BERKAS (daftar bertanda tangan dari dinas) atau revocation_list di --config
cli-err-can-file-digits = berkas CAN { $path } harus memuat 6 angka yang tercetak pada kartu
cli-err-no-can = tidak ada CAN: berikan --can CAN, EKTP_CAN atau --can-file BERKAS (di terminal ektp menanyakannya)
cli-err-can-digits = CAN harus 6 angka yang tercetak pada kartu
cli-err-application-invalid = { $path } bukan permohonan yang sah: jalankan `ektp check` padanya untuk melihat setiap masalah
cli-readers-none = tidak ada pembaca kartu pintar: sambungkan pembaca (untuk pembaca virtual pasang vsmartcard-vpcd dan mulai ulang pcscd)
cli-readers-virtual = cip virtual ektp
cli-readers-exclusive = dipakai khusus
cli-readers-in-use = sedang dipakai
cli-readers-present = ada kartu  ATR { $atr }
cli-readers-empty = tidak ada kartu
cli-readers-mute = kartu tidak menjawab (bisu): masukkan ulang
cli-readers-unavailable = tidak tersedia (dicabut atau pengandar gagal)
cli-err-dg-malformed = { $dg } yang dibaca dari kartu rusak
cli-err-undecodable = data kartu tidak dapat didekode
cli-err-no-portrait = kartu tidak memiliki pasfoto (DG2 tidak ada di EF.COM)
cli-err-no-signature = kartu tidak memiliki gambar tanda tangan (DG7 tidak ada di EF.COM)
cli-err-field-absent = kartu tidak memuat { $field } (grup datanya tidak ada di EF.COM)
cli-what-photo = pasfoto
cli-what-signature = gambar tanda tangan
cli-image-written = { $what } ({ $format }, { $bytes } bita) ditulis ke { $path }
cli-err-match = { $a } tidak dapat diberi skor terhadap { $b }
cli-err-finger-syntax = --finger { $value }: tulis JARI=BERKAS, misalnya --finger right-index=live.png
cli-err-finger-which = --finger { $value }: e-KTP hanya memuat right-index dan left-index
cli-err-trust-no-crl = penyimpanan kepercayaan { $path } tidak memuat CRL yang berlaku untuk akar { $root }: sampai CRL terbaru dari dinas dipasang di sana, tidak ada kartu yang dapat diverifikasi
cli-warn-not-a-root = peringatan: { $file } diabaikan: { $subject } tidak dapat menjadi akar tepercaya
cli-step-authenticating = membuka sesi personalisasi dengan kunci batch
cli-step-chip-key = cip membuat kunci Active Authentication-nya
cli-step-signing = menandatangani EF.SOD dengan penanda tangan dokumen
cli-step-writing = menulis { $file }
cli-step-setting-can = menyimpan CAN
cli-step-verifying = membaca ulang melalui PACE dan memverifikasi
cli-step-locking = mengunci kartu
cli-file-card-access = parameter PACE
cli-file-com = daftar grup data
cli-file-sod = objek keamanan dokumen
cli-file-dg1 = MRZ
cli-file-dg2 = pasfoto
cli-file-dg3 = sidik jari
cli-file-dg7 = gambar tanda tangan
cli-file-dg11 = data pribadi
cli-file-dg12 = data dokumen
cli-file-dg13 = data Indonesia
cli-file-dg14 = info keamanan
cli-file-dg15 = kunci publik Active Authentication
cli-file-dg = grup data
cli-pa-not-read = CATATAN  ada di EF.SOD tetapi tidak dibaca (tidak diverifikasi): { $dgs }
cli-pa-passed = Autentikasi Pasif LULUS
cli-pa-failed = Autentikasi Pasif GAGAL
pa-name-sod_structure = struktur EF.SOD
pa-name-signer_certificate = sertifikat penanda tangan dokumen
pa-name-content_type = jenis isi yang ditandatangani
pa-name-message_digest = ringkasan pesan yang ditandatangani
pa-name-sod_signature = tanda tangan EF.SOD
pa-name-issuer_trusted = penanda tangan dokumen diterbitkan oleh akar tepercaya
pa-name-signer_validity = masa berlaku penanda tangan dokumen
pa-name-root_validity = masa berlaku akar
pa-name-signer_key_usage = penggunaan kunci penanda tangan dokumen
pa-name-issuer_country = negara penanda tangan dokumen
pa-name-signer_profile = profil sertifikat penanda tangan dokumen
pa-name-revocation = pencabutan
pa-name-data_groups_read = grup data yang dibaca
pa-name-data_group_hash = hash { $dg }
# Stasiun cetak dan perintah operator lain.
help-trust = Direktori penyimpanan kepercayaan: akar dinas dan CRL, untuk memverifikasi kartu sebelum dikunci [konfigurasi: trust_dir]
help-personalize-application = Permohonan (JSON, format ektp-application/1)
help-personalize-journal = Jurnal penerbitan stasiun (SQLite): setiap kartu dicatat sebelum dan sesudah ditulis [konfigurasi: journal]
help-personalize-reissue = Terbitkan kartu pengganti untuk kartu yang tercatat di jurnal sebagai diterbitkan untuk permohonan ini (hilang, dicuri atau rusak sebelum diserahkan); ALASAN dicatat dan kartu lama tidak lagi lolos verifikasi terhadap jurnal
help-signer_key = Kunci privat penanda tangan dokumen: berkas PKCS#8 (PEM atau DER, untuk UJI), atau kunci di token PKCS#11 yang disebut dengan URI-nya, `pkcs11:token=LABEL;object=NAME;type=private` [konfigurasi: signer_key]
help-signer_cert = Sertifikat penanda tangan dokumen (PEM atau DER); dengan kunci di token, sertifikat boleh juga ada di token (objek sertifikat berlabel sama dengan kunci) [konfigurasi: signer_certificate]
help-master_key = Kunci induk personalisasi batch: berkas 64 digit heksadesimal, atau kunci AES-256 di token PKCS#11, `pkcs11:token=LABEL;object=NAME;type=secret-key` (kunci setiap cip diturunkan di dalam token) [konfigurasi: master_key_file]
help-pkcs11_module = Modul PKCS#11 (pustaka bersama) token yang memegang kunci yang disebut dengan URI `pkcs11:`, misalnya /usr/lib/softhsm/libsofthsm2.so [konfigurasi: pkcs11_module]
help-pin_file = Baca PIN pengguna token dari BERKAS (baris pertamanya; hanya pemiliknya yang boleh dapat membacanya: chmod 600). Tanpa ini (dan tanpa pin_source di --config) ektp menanyakan PIN, tanpa gema, di terminal. PIN tidak pernah diterima di baris perintah [konfigurasi: pin_source]
help-test_master_key = Pakai kunci induk personalisasi khusus UJI (hanya untuk cip uji virtual)
help-cvca = Sertifikat CVCA yang ditulis ke setiap kartu sebagai titik kepercayaan Terminal Authentication [konfigurasi: cvca_certificate]
help-batch-queue = Antrean: direktori berkas permohonan JSON (NAMA.json, gambar di sebelahnya), atau subdirektori yang masing-masing memuat application.json. Permohonan dikerjakan menurut urutan nama
help-batch-journal = Jurnal penerbitan stasiun (SQLite): setiap kartu dicatat sebelum dan sesudah ditulis [konfigurasi: journal]
help-card_timeout = Berhenti bila tidak ada kartu yang datang, atau kartu yang selesai tidak diangkat, dalam DETIK detik (bawaan: menunggu selamanya)
help-max_cards = Berhenti setelah menerbitkan N kartu
help-abandon = Lepaskan kartu yang belum selesai dengan nomor seri cip ini (hilang atau rusak): permohonannya dibuat pada kartu baru. Hanya setelah kartu itu tidak beredar
help-check-files = Berkas permohonan (JSON, format ektp-application/1)
help-journal-journal = Jurnal penerbitan stasiun (SQLite) [konfigurasi: journal]
help-registry-registry = Registri penerbitan (URL PostgreSQL) [konfigurasi: registry]
help-init = Buat token baru per instalasi di --token-file (0600) lalu keluar; berikan token itu ke sistem instansi
help-token_file = Berkas token yang menjadi acuan pemeriksaan token setiap permintaan
help-listen = Alamat loopback dan port untuk mendengarkan (port 0: port bebas mana pun)
help-allow_origin = Asal yang halamannya boleh memanggil layanan (`https://bank.example`), persis; ulangi untuk lebih banyak. Asal halaman loket sendiri selalu diizinkan
help-serve-revoked = Hanya untuk UJI: daftar teks TANPA tanda tangan, satu nomor dokumen yang dicabut per baris
help-can_attempts_per_minute = Paling banyak sekian permintaan dengan CAN per menit
help-state = Berkas status cip: dimuat bila ada, bila tidak, cip kosong baru dibuat dan disimpan di sana; setiap perubahan disimpan kembali
help-port = Port TCP vpcd (35963 adalah pembaca "Virtual PCD 00 00", 35964 "Virtual PCD 00 01")
help-fault = Cabut kartu: remove-after=N (setelah menjawab N APDU), pull-before=N (APDU ke-N+1 tidak dijalankan), pull-after=N (APDU ke-N+1 dijalankan tetapi tidak dijawab)
help-slow = Jawab setiap APDU terlambat sekian milidetik
help-corrupt_next = Rusak (balik) bita pertama jawaban berikutnya
help-link = Habiskan waktu yang diperlukan tautan nirkontak untuk setiap APDU: iso14443:106k, :212k, :424k atau :848k (bingkai, perangkaian, waktu tunggu, pemrosesan cip; docs/performance.md)
help-max_apdu = APDU yang diteruskan pembaca virtual: extended, atau short (yang extended ditolak dengan 6700)
help-t0 = Jawab melalui 61xx dan GET RESPONSE, seperti kartu T=0
value-FILE_URI = BERKAS|URI
value-PATH = JALUR
value-REASON = ALASAN
value-SECS = DETIK
value-ADDR = ALAMAT
value-ORIGIN = ASAL
value-KIND_N = JENIS=N
value-KIND = JENIS
value-LINK = TAUTAN
value-QUEUE_DIR = DIREKTORI_ANTREAN
value-CHIP_SERIAL = SERI_CIP

# service: en messages (see ../../README.md).
# The local service's own messages people read on the desk page: `service-error-CODE` is the
# `message` of an error answer whose `error` is CODE.
service-error-token_required = This page has no service token: open the address `ektp serve` printed
service-error-foreign_host = Refused: the page was not opened at this computer's own address
service-error-origin_not_allowed = Refused: this web page may not use the card reader service
service-error-bad_can = The CAN is the 6 digits printed on the card
service-error-unknown_field = Unknown field asked for
service-error-wrong_can = Wrong CAN: check the 6 digits printed on the card
service-error-too_many_can_attempts = Too many CAN attempts in the last minute: wait a minute and try again
service-error-reader = No card in the reader, or the reader is not ready: insert the card and try again
service-error-no_trust_store = The service is not set up to verify cards (no trust store): ask the administrator
service-error-card = The card did not answer as expected: take it out, insert it again and try again
service-error-field_missing = The card does not hold the data asked for
service-error-not_found = No such page
service-error-internal = Internal error of the card service: try again, or ask the administrator
service-error-bad_finger = The fingerprint capture cannot be used: capture the finger again (PNG, 500 ppi)
service-error-too_many_finger_attempts = This card has used all its fingerprint attempts: no capture is checked against it for the next 15 minutes. Do not hand the card out
service-error-bad_request = The request is not valid
service-error-unknown_application = No such application: check the application number
service-error-no_applications = The service has no applications to check against: ask the administrator
service-error-bad_application = The application on file is not valid: ask the administrator
service-error-no_terminal = The service cannot read fingerprints (no terminal): ask the administrator
# The desk page's fingerprint step.
service-finger-title = Fingerprint
service-finger-prompt = The card checks passed. Capture the holder's right index finger and choose the file.
service-finger-file = Fingerprint capture (PNG)
service-finger-check = Check fingerprint
service-finger-pending = CHECK THE FINGERPRINT

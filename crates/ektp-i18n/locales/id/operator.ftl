# operator: id messages of the operators' commands (pki, cvc, sim, demo, serve; see ../../README.md).

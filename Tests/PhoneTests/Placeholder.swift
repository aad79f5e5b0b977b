import Testing
@testable import Phone
@Test func smoke() {
  let n = PhoneNormalizer()
  for s in ["+49 151 23456789", "0151 23456789", "4.91512345678E+11", "4.9151234568E+11", "'+49 (0)151 2345 6789", "tel:+4915123456789;ext=12", "0049 151 23456789", "491512345678", "0151/2345678 / 0171 2345678", "\u{202F}+49\u{00A0}151\u{202F}23456789", "+٤٩١٥١٢٣٤٥٦٧٨٩", "12", "abc", "", "+49 151 23456789 x 12", "15123456789"] {
    let r = n.normalize(s, region: s == "15123456789" ? nil : "DE")
    print(s.debugDescription, r.e164 ?? "-", r.type?.name ?? "-", r.rejection?.rawValue ?? "", r.flagList, r.phoneExtension, r.extraNumbers)
  }
  print(PhoneMetadata.fingerprint, PhoneMetadata.libraryFile)
}

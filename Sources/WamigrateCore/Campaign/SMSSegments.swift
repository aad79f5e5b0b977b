/// How many SMS segments a text takes: GSM-7 (160 alone, 153 per part; the
/// extension characters count twice) or UCS-2 (70 alone, 67 per part) as soon
/// as one character is outside GSM-7.
public enum SMSSegments {
    static let basic = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
            .unicodeScalars)
    static let extended = Set("^{}\\[~]|€\u{0C}".unicodeScalars)

    public static func count(_ text: String) -> Int {
        var septets = 0
        var gsm = true
        for scalar in text.unicodeScalars {
            if basic.contains(scalar) {
                septets += 1
            } else if extended.contains(scalar) {
                septets += 2
            } else {
                gsm = false
                break
            }
        }
        if gsm { return septets <= 160 ? 1 : (septets + 152) / 153 }
        let units = text.utf16.count
        return units <= 70 ? 1 : (units + 66) / 67
    }
}

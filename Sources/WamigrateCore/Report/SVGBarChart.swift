import Foundation
import WamigrateModel

/// A horizontal bar chart as inline SVG: no script, no fonts to fetch, so the
/// report renders the same from disk in any browser.
struct SVGBarChart {
    var title: String
    var bars: [(label: String, value: Int)]
    var color = "#2f6fb0"
    var width = 640
    /// Written after each value ("USD").
    var unit = ""

    var svg: String {
        let barHeight = 22
        let gap = 6
        let labelWidth = 220
        let valueWidth = 70
        let plot = width - labelWidth - valueWidth
        let top = 8
        let height = top + bars.count * (barHeight + gap) + 4
        let maxValue = max(bars.map(\.value).max() ?? 0, 1)
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="\(width)" height="\(height)" \
            viewBox="0 0 \(width) \(height)"><title>\(HTML.escape(title))</title>
            """
        for (index, bar) in bars.enumerated() {
            let y = top + index * (barHeight + gap)
            let length = bar.value == 0 ? 0 : max(2, Int((Double(bar.value) / Double(maxValue) * Double(plot)).rounded()))
            out += """
                <text x="\(labelWidth - 8)" y="\(y + 15)" text-anchor="end"><title>\(HTML.escape(bar.label))</title>\
                \(HTML.escape(Self.fitted(bar.label)))</text>\
                <rect x="\(labelWidth)" y="\(y)" width="\(length)" height="\(barHeight)" fill="\(color)"/>\
                <text x="\(labelWidth + length + 6)" y="\(y + 15)">\(AuditReport.grouped(bar.value))\(HTML.escape(unit))</text>
                """
        }
        return out + "</svg>"
    }
}

extension SVGBarChart {
    /// Characters a label may have in the label column (about 7 px each at the report's
    /// 13 px font); a longer one is cut at its end, with its full text as the tooltip.
    /// (Cut at 34, a right-aligned label ran off the chart's left edge.)
    static let labelCharacters = 28

    static func fitted(_ label: String) -> String {
        label.count <= labelCharacters ? label : String(label.prefix(labelCharacters - 1)) + "…"
    }
}

enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}

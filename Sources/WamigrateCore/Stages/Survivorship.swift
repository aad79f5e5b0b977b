import Foundation
import WamigrateBase
import WamigrateModel

/// Survivorship rules, per field:
/// - consent: an opt-out is sticky: it loses only to an explicit (dated) opt-in made
///   after every opt-out, which must be dated too; otherwise the latest explicit
///   opt-in wins; an undated opt-in counts as implicit.
/// - name, email, language, Viber id: the most recent row that has one (activity date,
///   else consent date), then the higher source priority, then the earlier row.
/// - sources and tags: the union.
/// - conflicts: names with no word in common, several emails, or opt-in and opt-out
///   from different rows are flagged, never merged away silently.
struct Survivorship {
    var priorities: [Int64: Int]

    func merge(_ rows: [MergeRow]) -> MergedContact {
        if rows.count == 1 { return single(rows[0]) }
        let ordered = rows.sorted { a, b in
            switch (a.recency, b.recency) {
            case let (x?, y?) where x != y: return x > y
            case (.some, nil): return true
            case (nil, .some): return false
            default: break
            }
            let (pa, pb) = (priorities[a.sourceID] ?? 0, priorities[b.sourceID] ?? 0)
            if pa != pb { return pa > pb }
            return a.id < b.id
        }
        func pick(_ value: (MergeRow) -> String?) -> Picked<String>? {
            for row in ordered {
                if let text = value(row), !text.isEmpty { return Picked(value: text, row: row.id) }
            }
            return nil
        }
        var contact = MergedContact(
            name: pick(\.name), email: pick(\.email), language: pick(\.language), viberID: pick(\.viberID),
            consent: .unknown, consentAt: nil, consentRow: nil, consentRule: nil,
            sourceIDs: Array(Set(rows.map(\.sourceID))).sorted(), tags: Self.unionTags(rows.map(\.tags)), conflicts: [])
        mergeConsent(rows, into: &contact)
        contact.conflicts = conflicts(rows)
        return contact
    }

    /// The common case: nothing to choose between.
    private func single(_ row: MergeRow) -> MergedContact {
        func picked(_ value: String?) -> Picked<String>? {
            guard let value, !value.isEmpty else { return nil }
            return Picked(value: value, row: row.id)
        }
        var contact = MergedContact(
            name: picked(row.name), email: picked(row.email), language: picked(row.language), viberID: picked(row.viberID),
            consent: .unknown, consentAt: nil, consentRow: nil, consentRule: nil, sourceIDs: [row.sourceID],
            tags: Self.unionTags([row.tags]), conflicts: [])
        mergeConsent([row], into: &contact)
        return contact
    }

    /// The rows' consent decided by the ledger's own rule (`ConsentTally.state`: a sticky
    /// opt-out), then the row that carries the deciding evidence.
    private func mergeConsent(_ rows: [MergeRow], into contact: inout MergedContact) {
        let outs = rows.filter { $0.consent == .optedOut }
        let ins = rows.filter { $0.consent == .optedIn }
        let latestDatedIn = ins.filter { $0.consentAt != nil }.max { ($0.consentAt!, -$0.id) < ($1.consentAt!, -$1.id) }
        var tally = ConsentTally()
        tally.optOuts = outs.count
        tally.undatedOptOut = outs.contains { $0.consentAt == nil }
        tally.lastOptOut = outs.compactMap(\.consentAt).max()
        tally.optIns = ins.count
        tally.lastOptIn = latestDatedIn?.consentAt
        let evidence: (row: MergeRow, rule: String)?
        switch tally.state {
        case .optedOut:
            let latestOut = outs.max { ($0.consentAt ?? Int64.min, -$0.id) < ($1.consentAt ?? Int64.min, -$1.id) }!
            evidence = (latestOut, "sticky_opt_out")
        case .optedIn:
            if let optIn = latestDatedIn {
                evidence = (optIn, outs.isEmpty ? "latest_explicit_opt_in" : "explicit_opt_in_after_opt_out")
            } else {
                evidence = ins.first.map { ($0, "implicit_opt_in") }
            }
        case .unknown:
            evidence = nil
        }
        guard let evidence else { return }
        contact.consent = tally.state
        contact.consentAt = evidence.row.consentAt
        contact.consentRow = evidence.row.id
        contact.consentRule = evidence.rule
    }

    static func unionTags(_ cells: [String?]) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for cell in cells {
            guard let cell else { continue }
            for tag in cell.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "|" }) {
                let trimmed = String(tag).trimmedASCII
                if !trimmed.isEmpty, seen.insert(trimmed.lowercased()).inserted { out.append(trimmed) }
            }
        }
        return out.sorted()
    }

    func conflicts(_ rows: [MergeRow]) -> [String] {
        guard rows.count > 1 else { return [] }
        var kinds: [String] = []
        let distinctNames = Set(rows.compactMap(\.name).map { $0.lowercased() })
        let names = distinctNames.count > 1 ? distinctNames.map(Self.nameWords).filter { !$0.isEmpty } : []
        var nameConflict = false
        outer: for i in names.indices {
            for j in names.indices where j > i && names[i].isDisjoint(with: names[j]) {
                nameConflict = true
                break outer
            }
        }
        if nameConflict { kinds.append("name") }
        if Set(rows.compactMap(\.email).filter { !$0.isEmpty }).count > 1 { kinds.append("email") }
        if rows.contains(where: { $0.consent == .optedIn }) && rows.contains(where: { $0.consent == .optedOut }) {
            kinds.append("consent")
        }
        if Set(rows.compactMap(\.viberID)).count > 1 { kinds.append("viber_id") }
        return kinds
    }

    static func nameWords(_ name: String) -> Set<String> {
        let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        return Set(folded.split(whereSeparator: { !$0.isLetter }).map(String.init).filter { $0.count > 1 })
    }
}

extension JSONObject {
    /// The first member name that occurs twice in this object (not in nested values), or `nil`.
    ///
    /// RFC 8259 leaves the meaning of duplicate names undefined (parsers disagree on which one wins), so
    /// an item that carries one is refused rather than read one way here and another way elsewhere.
    public var duplicateKey: String? {
        if members.count <= 16 {
            for index in members.indices.dropFirst() {
                let key = members[index].key
                if members[..<index].contains(where: { $0.key == key }) { return key }
            }
            return nil
        }
        var seen = Set<String>(minimumCapacity: members.count)
        for member in members where !seen.insert(member.key).inserted { return member.key }
        return nil
    }
}

extension JSONValue {
    /// The path (`order.item_list[0].model_sku`) of the first member name that occurs twice in one
    /// object anywhere in this value, or `nil` when there is none.
    ///
    /// ``JSONParser`` keeps every member as written, duplicates included, so a document whose parts are
    /// judged one by one (an envelope's items, a declaration's rows) still parses; each part is then
    /// refused on its own when this finds a duplicate in it.
    public var duplicateMemberPath: String? {
        guard let reversed = duplicateMemberSegments() else { return nil }
        var path = ""
        for segment in reversed.reversed() {
            path += segment.isIndex || path.isEmpty ? segment.text : ".\(segment.text)"
        }
        return path
    }

    /// The path's segments from the duplicate up to this value (built only once one is found, so a clean
    /// item costs no allocation).
    private func duplicateMemberSegments() -> [(text: String, isIndex: Bool)]? {
        switch self {
        case .object(let object):
            if let key = object.duplicateKey { return [(key, false)] }
            for member in object.members {
                if var segments = member.value.duplicateMemberSegments() {
                    segments.append((member.key, false))
                    return segments
                }
            }
            return nil
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if var segments = element.duplicateMemberSegments() {
                    segments.append(("[\(index)]", true))
                    return segments
                }
            }
            return nil
        case .null, .bool, .number, .string:
            return nil
        }
    }
}

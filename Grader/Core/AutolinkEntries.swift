import Foundation

/// The libraries a Swift object file asks to be linked with: the NUL-separated entries of its
/// `.swift1_autolink_entries` section, which the driver's `swift-autolink-extract` job writes
/// one per line for the link. Read here, in the grader, that job costs no process: one per
/// problem, a program the size of a compiler started to read one section.
///
/// Only what the grader's own compiles produce is read here: 64-bit little-endian ELF
/// relocatable objects whose entries are all `-l` flags. Anything else (an archive, another
/// format, another kind of entry) is left to the tool, so nothing it would do differently
/// is guessed at. The link is order-blind for these (shared libraries, and `lld` resolves
/// archives in any order), so the entries are kept in the order first seen, each once.
enum AutolinkEntries {
  /// Does the job `command` here when it is `swift-autolink-extract <objects> -o <file>` on
  /// objects read as above, and returns whether it did (the output file then written).
  static func extract(_ command: [String]) -> Bool {
    guard let program = command.first, program.hasSuffix("/swift-autolink-extract") else {
      return false
    }
    var objects: [String] = []
    var output: String?
    var words = command.dropFirst().makeIterator()
    while let word = words.next() {
      if word == "-o" {
        guard output == nil, let file = words.next() else { return false }
        output = file
      } else if word.hasPrefix("-") {
        return false
      } else {
        objects.append(word)
      }
    }
    guard let output, !objects.isEmpty else { return false }
    var entries: [String] = []
    for object in objects {
      guard let data = FileManager.default.contents(atPath: object),
        let found = entriesOfELF(Array(data)), found.allSatisfy({ $0.hasPrefix("-l") })
      else { return false }
      for entry in found where !entries.contains(entry) { entries.append(entry) }
    }
    let text = entries.map { $0 + "\n" }.joined()
    return (try? text.write(toFile: output, atomically: true, encoding: .utf8)) != nil
  }

  /// The entries of every `.swift1_autolink_entries` section of a 64-bit little-endian ELF
  /// relocatable object, in order; nil when `bytes` is not one or is malformed.
  static func entriesOfELF(_ bytes: [UInt8]) -> [String]? {
    func integer(_ offset: Int, _ size: Int) -> Int? {
      guard offset >= 0, size <= 8, offset <= bytes.count - size else { return nil }
      var value: UInt64 = 0
      for k in (0..<size).reversed() { value = value << 8 | UInt64(bytes[offset + k]) }
      return value <= UInt64(Int.max) ? Int(value) : nil
    }
    // ELF magic, 64-bit (class 2), little-endian (data 1), relocatable (type 1).
    guard bytes.count >= 64, bytes[0..<4].elementsEqual([0x7f, 0x45, 0x4c, 0x46]),
      bytes[4] == 2, bytes[5] == 1, integer(16, 2) == 1,
      let tableOffset = integer(0x28, 8), let entrySize = integer(0x3A, 2),
      let count = integer(0x3C, 2), let namesIndex = integer(0x3E, 2),
      entrySize >= 64, count > 0, namesIndex < count
    else { return nil }
    struct Section {
      let name: Int
      let type: Int
      let offset: Int
      let size: Int
    }
    var sections: [Section] = []
    for i in 0..<count {
      let at = tableOffset + i * entrySize
      guard let name = integer(at, 4), let type = integer(at + 4, 4),
        let offset = integer(at + 0x18, 8), let size = integer(at + 0x20, 8)
      else { return nil }
      // A section with content must lie inside the file (type 8, NOBITS, has none).
      guard type == 8 || (offset <= bytes.count && size <= bytes.count - offset) else {
        return nil
      }
      sections.append(Section(name: name, type: type, offset: offset, size: size))
    }
    let names = sections[namesIndex]
    func name(of section: Section) -> String? {
      guard section.name < names.size else { return nil }
      let start = names.offset + section.name
      let end = bytes[start..<(names.offset + names.size)].firstIndex(of: 0)
      return end.map { String(decoding: bytes[start..<$0], as: UTF8.self) }
    }
    var entries: [String] = []
    for section in sections where section.type != 8 {
      guard let sectionName = name(of: section) else { return nil }
      guard sectionName == ".swift1_autolink_entries" else { continue }
      let content = bytes[section.offset..<(section.offset + section.size)]
      entries += content.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }
    return entries
  }
}

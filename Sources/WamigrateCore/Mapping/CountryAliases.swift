import Foundation
import WamigrateBase
import Yams

/// Loads `countries.yml` (aliases and ISO alpha-3 codes → alpha-2) from the
/// mappings folder into a `CountryResolver`.
public enum CountryAliases {
    public static func resolver(catalog: MappingCatalog) -> CountryResolver {
        guard let directory = catalog.directory,
            let text = try? String(contentsOfFile: directory + "/countries.yml", encoding: .utf8),
            let aliases = try? BoundedYAML.decode([String: String].self, from: text)
        else { return CountryResolver() }
        return CountryResolver(aliases: aliases)
    }
}

/// The OpenAPI 3.1 description of everything `kohybrid serve` answers, served at
/// `GET /openapi.json`. `ServerRoutesTests` checks that every route the router has is here and
/// that every path here is routed.
enum OpenAPIDocument {
    static let json = #"""
{"openapi": "3.1.0", "info": {"title": "kohybrid serve", "version": "0.3.0"}, "paths": {}}
"""#
}

import Foundation

/// Streams made by other tools (Python's zlib and zipfile), so our decoders are checked against
/// an independent encoder.
enum Fixtures {
    /// `zlib.compress(text, 9)` of 1500 words drawn by an LCG (seed 12345) from a fixed list: a
    /// dynamic-Huffman block. The text is 11083 bytes with CRC-32 0xbe82617b.
    static let zlibDynamic: [UInt8] = decode([
        "eNp9Wlty2zgQvIqvpk20jqpsiWXT2eT2axEYoF/gjy3RIDDPnp6Bt9uf69vLdrnd99v99eX+uH1eX94v28v2eLw9n9Tv9pcfj/vv",
        "x9vXfnvcX94uf68f32v3j9ufuUOtf/24vL/8d729/trrV3uBFtTbhxTfm+/X+z6P/vXYH9/Ltl9tMXwfx/1zu3zOb/2g4+H9+vXx",
        "LeXn/vft2p78e73sXx/X/khfGqeeadLlRdnRJPXKcVyp0wXBdf3Vn9fPH6hwWDmlqQ/fZ/+8Pd+q/Z/eqs+iS3Oa6GsKlrTjUDHU",
        "4RyyYDbNBltPVzUZmu+ngnvXYJxJSs+38fHQ/HlUaVqRk152mwWftWA5hGxRZjuWuOUuCKm2uD3oytUq8XH/K0rHqbc0hvmttnLV",
        "015k/6nmMElTujv0adm2CHOoLQFjvrcfTe+xU8jbY5duiefec+0h/PNRGag7tL7W7ya4OjBqikqYnfuLA8b2uXlFNYTl8RtN0N6b",
        "UlP4Uej3F/p57YRFfA6tPDiGp0auT4e2xQW/GzhkeGCKNWzS7MbgCw5hqB5Q3GJ0yiUuV28ZtqDgCCdkEU4EDArSdQLeBGGGiiaz",
        "ul517L70vDqerxK1th8YOBcAAs7s3ywPaucV7HJUUoS50aYRekJB7IQywgUWdJsfS7GZ9LZzwzwKMoCU5l/R/Pl1VYD6c3ch1vEp",
        "hxTs9jYGlXOU5+kjRQzkyeHlOXPL8cKiVI/Hx35dMMZXLpyiA3GoghqEdwIv1Hgam6pPmey9fer4u/V9Sozmx2UpOuMhCXCFiUjU",
        "CbAbyOWag3ty6RkVoSJOKq4TOSjSVgdHTmh1XRSQHm+UA6YSnjVcbymcVnHun4NbKCS1zJOmk28TotTldU0NMSwSzTKA1ItFOQmK",
        "EEUO3BTibUfCYPzNSg/yUYK9NdZ2IDD4wFTjGhQpn1U/Ig9CdJiJWAgZYgSkhnTwtGvPF/XIMlUEJg6z9hLSO6AWFAJWNznSyJCI",
        "eWUmS8dKW8cmLMApxkNnUAFKGqHR2BtIPVbhIqGPwhlvOm1fyrBSf8n7ZXULwW7XgbD0VgB4bxmUBxBc0uFuA+eX6JtAoRjJAdwN",
        "lxXdXXDkvYjHJDO4ENeIoyUXPQWhe7RaYFUWPpJ4DAXRZBE8jgOgHErFGxvNVqHE5nKjoK6en7wmtIxWe/pqy/dVkz4/Yo3qNs2T",
        "ACIF02VbLAxQ7Il1DcEjb8X1Yvz4OtFHnkpRK5jwPFFtrykefN6CKE2lhGoCIOwiSCzcw/S1uaaFh9d2Z3EE5bULjwPVjVSxoKN3",
        "kGEsQtFkzGDjHsly9RQryO5rSc7sx3TAmYvFLRKZ1GVy48EVmeghJzGHoXsZd+uny7RwFQ08t8V044nYGHi21OVd62CqRDw30jnM",
        "iRdDBoT8mN2RQrHOfFOYqlgrsicjkQkA3W7MuiI1BAwH/kKYbKzHzGfkIjauHOKc2AbFs3Dgd9mK3X4yuJr7SLPqS2kZT5Y59RJ0",
        "pmcjQq0D8CExR4VF4yE1TWeYJTguMmhwomp4CN2xMhj1JDYhhczAD6FBS7xTp7inpIRFD0xIEx+nYAqknLAcF2faYp4kxNa6Mqip",
        "5Q0nwxLbCUIFo7Ah0ukudb4+ruPBQmhZtM5aYBLFj90dxWmGJ2xXbNCdqnoFSG4CEfAxoKhzxIrITuOx++y99J6LfEISATlQVhNS",
        "cHHb4Lc8gp9KJBxLdJ4hJ6G7ePK7usPi2ms3uIjyzZf0FrIBtYuCgk7ft8W9CfZRK7Kv8QES6lgex+TCwE/uUIDt89hFCpNJohfe",
        "Z8Tbur7FQEAobnDyIhzI8pgrUmSkCdGbyjSgFZZDczi6emF7WZunhPtd6qWUDDfOYmrgMRsjPNwkxtIo9dQaIa7NWixOOv/niUgF",
        "aDtHSx7H8RVB1GjySE5Kz6/Ed2APKO0CV/ka1HbhygRZz53KamKOXFja0nlbkZhZKjBKi9VR4YoMyWa8r+GymNqMCU9ufe710dlS",
        "nazvwUoWGfH6JpOpvU8N8B9UYLxRUq7hlHteLSNQDRV3Zdikf55wZ8b10fVILQSEUsNiisWRryEe+BLTbyZOOpgweFeWjPeRUsHB",
        "OZjK4R8r9FKGJh18czIMRvTSuB2FumE5/8MPllAfFC/IZyzXeu1KqcwD1zSw5ft6IapUbBDRo7A2FUz3AxJJq9BY/ycV94icPYpc",
        "FIZEXng6Y1FzxoFYPizFcrfqlydOBuHaL5EhI9XRQzyQys10CBd3JcbmOepvASs0o9IwnMGXS3S4P8Mt+P4IkYFKCF/wW3YSqksL",
        "JNX3ZJYlXXC+5U6gi9FqmRs6v8B0gS9oF6wzXOr3ZlOxuD3T3nZ3KqqUWN0b7o7n4TmMmS6ke2BgWP8DRzKPfA==",
    ])
    static let zlibDynamicLength = 11083
    static let zlibDynamicCRC: UInt32 = 0xbe82617b

    /// A zip made by Python's zipfile: "stored.txt" (method 0) holding "stored entry contents\n"
    /// and "dir/deflated.txt" (method 8) holding "deflated " 40 times.
    static let zip: [UInt8] = decode([
        "UEsDBBQAAAAAAAAAIQDGV7tfFgAAABYAAAAKAAAAc3RvcmVkLnR4dHN0b3JlZCBlbnRyeSBjb250ZW50cwpQSwMEFAAAAAgAAAAh",
        "AFmSyWQQAAAAaAEAABAAAABkaXIvZGVmbGF0ZWQudHh0S0lNy0ksSU1RSBll0JIBAFBLAQIUAxQAAAAAAAAAIQDGV7tfFgAAABYA",
        "AAAKAAAAAAAAAAAAAACAAQAAAABzdG9yZWQudHh0UEsBAhQDFAAAAAgAAAAhAFmSyWQQAAAAaAEAABAAAAAAAAAAAAAAAIABPgAA",
        "AGRpci9kZWZsYXRlZC50eHRQSwUGAAAAAAIAAgB2AAAAfAAAAAAA",
    ])

    static func decode(_ parts: [String]) -> [UInt8] { [UInt8](Data(base64Encoded: parts.joined())!) }
}

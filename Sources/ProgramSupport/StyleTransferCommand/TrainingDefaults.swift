import StyleTransferRun
import CommandLineArguments

/// What style-train, and chapter 12's demo, train a network on and with unless told otherwise.
public enum TrainingDefaults {
    /// The sample photos trained on (the project fetches them; no other photo source).
    public static let photos = ["astronaut.png", "coffee.png", "rocket.jpg", "hubble_deep_field.jpg"]
    /// The sample photo never trained on, which `--save-every` and the demo paint.
    public static let heldOut = "chelsea.png"
    /// style-transfer's loss with the content weighted six times more. One optimisation can put
    /// the painting's strokes anywhere in one picture and still keep its subject; a network that
    /// must do it for every photo at once, trained with style-transfer's weights, paints the
    /// painting's texture everywhere and loses faces (Notebooks/12-transformation-network.md).
    public static var loss: StylizationSettings {
        var settings = StylizationSettings()
        settings.weights.content *= 6
        return settings
    }
    /// `--content-weight`, with the training's default.
    public static let contentWeight = Option<Float>.number("--content-weight", in: 0...1e12, default: loss.weights.content,
        help: "the content loss's weight (six times style-transfer's: see the chapter)")
}

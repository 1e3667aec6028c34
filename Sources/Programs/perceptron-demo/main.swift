// Chapter 1: the perceptron. Run with `swift run perceptron-demo`.
import Foundation
import Perceptron
import Pictures
import DemoSupport

let output = DemoOutput(name: "perceptron-demo",
                        summary: "Chapter 1, Neural Network: a perceptron learns AND, OR and a cloud of points by adjusting its weights, and fails on XOR; draws each decision boundary.")
let save = output.save
func show(_ p: Perceptron) -> String {
    String(format: "w = (%.2f, %.2f), b = %.2f", p.weights[0], p.weights[1], p.bias)
}

for (name, examples) in [("AND", PerceptronExamples.and), ("OR", PerceptronExamples.or)] {
    print("\nLearning \(name) with a step perceptron (eta = 0.1), starting from zero weights:")
    var p = Perceptron(weights: [0, 0], bias: 0, activation: .step)
    p.train(examples, epochs: 8, eta: 0.1) { epoch, p in
        print("  epoch \(epoch): \(show(p))   accuracy \(Int(p.accuracy(examples) * 100))%")
    }
    save(DecisionBoundaryPicture.render(examples: examples, perceptron: p, title: name), "\(name.lowercased()).png")
}

print("\nA cloud of 60 separable points, sigmoid perceptron (eta = 2). The boundary moves as it learns:")
let cloud = PerceptronExamples.cloud
var p = Perceptron(weights: [0, 0], bias: 0, activation: .sigmoid)
var frames = [DecisionBoundaryPicture.render(examples: cloud, perceptron: p)]
p.train(cloud, epochs: 200, eta: 2) { epoch, p in
    if [1, 5, 20, 200].contains(epoch) {
        print("  epoch \(epoch): \(show(p))   accuracy \(Int(p.accuracy(cloud) * 100))%")
        frames.append(DecisionBoundaryPicture.render(examples: cloud, perceptron: p))
    }
}
save(ContactSheet.make(frames, labels: ["BEFORE", "EPOCH 1", "EPOCH 5", "EPOCH 20", "EPOCH 200"],
                       title: "A SIGMOID PERCEPTRON LEARNS A LINE", columns: 5), "cloud-learning.png")

print("\nXOR with a step perceptron, 100 epochs:")
var xor = Perceptron(weights: [0, 0], bias: 0, activation: .step)
xor.train(PerceptronExamples.xor, epochs: 100, eta: 0.1)
print("  \(show(xor))   accuracy \(Int(xor.accuracy(PerceptronExamples.xor) * 100))%")
save(DecisionBoundaryPicture.render(examples: PerceptronExamples.xor, perceptron: xor, title: "XOR"), "xor.png")
print("""

What to notice: AND and OR are learned in a few epochs, each by one straight line, drawn in
black where w . x + b = 0 (and.png, or.png; blue answers 1, orange 0). The step answers 0 on the
line itself, and learning stops as soon as every answer is right, so a point may sit exactly on
the line: (1,0) for AND, (0,0) for OR. The cloud's line swings into place (cloud-learning.png:
before learning, then after 1, 5, 20 and 200 epochs). XOR never gets past 75%: no single line
puts (0,1) and (1,0) on one side and (0,0) and (1,1) on the other (xor.png). That takes a
hidden layer: chapter 2.
""")

import GradeModel

/// Results with a student's own report (`grade --figures`): figures JSON and SVG plots.
enum FigureFixtures {
  /// Figures shaped like problem 3's report, small enough to work out by hand: scalars, a
  /// short list, a `null`, an eight-epoch history, a nested object and an array of three runs
  /// whose histories are summarised, one diverged at epoch 6 and one at once.
  static let figuresJSON = """
    {"problem":3,"final_accuracy":0.9125,"gpu_seconds":null,"grad_shape":[200,16],\
    "converged":true,"note":"lr | 1.0 *fast*","loss_history":[0.6931,0.5,0.41,0.36,0.33,0.31,0.305,0.3],\
    "data":{"n":400,"centre":[1.5,0.5],"spread":{"x":1,"y":0.25}},\
    "runs":[{"lr":0.1,"final_loss":0.3,"loss_history":[0.7,0.6,0.5,0.45,0.42]},\
    {"lr":10,"final_loss":null,"epochs_to_threshold":null,\
    "loss_history":[0.7,0.2,0.9,1e12,4e30,null,null,null]},\
    {"lr":100,"loss_history":[null,null,null,null,null,null]}]}
    """

  /// A small plot as the course's charts draw one.
  static let plainSVG = """
    <svg xmlns="http://www.w3.org/2000/svg" width="240" height="120" viewBox="0 0 240 120">\
    <rect width="100%" height="100%" fill="white"/>\
    <text x="120" y="16" text-anchor="middle" font-size="13">Loss per epoch</text>\
    <polyline points="20,100 80,60 140,40 220,30" fill="none" stroke="#1f77b4" stroke-width="2"/>\
    </svg>
    """

  /// A plot that tries every way out of an image: script, event handlers, HTML inside a
  /// foreignObject, an external image, an external `use`, a `javascript:` link and external
  /// URLs in paint and style. Its one harmless path must survive.
  static let hostileSVG = """
    <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" \
    width="100" height="100" onload="alert('onload')">
    <script>alert('script')</script>
    <foreignObject width="100" height="100"><div xmlns="http://www.w3.org/1999/xhtml">\
    <iframe src="https://evil.example/frame"></iframe></div></foreignObject>
    <image href="https://evil.example/track.png" width="10" height="10"/>
    <use xlink:href="https://evil.example/sprite.svg#icon"/>
    <a href="javascript:alert('link')"><rect width="10" height="10"/></a>
    <rect width="50" height="50" fill="url(https://evil.example/paint.svg#g)" \
    style="background:url(https://evil.example/style)"/>
    <path d="M 0 0 L 10 10" stroke="black" onclick="alert('click')"/>
    </svg>
    """

  /// Problem 3 of `Fixtures.sample`'s shape, with its own report's figures and two plots.
  static var withFigures: GradeResult {
    var problem = Fixtures.graded
    problem.number = 3
    problem.title = "Logistic regression"
    problem.figures = figuresJSON
    problem.plots = ["problem3-loss.svg": plainSVG, "problem3-hostile.svg": hostileSVG]
    return GradeResult(
      submission: "bob", problems: [problem], isolation: Fixtures.isolation, publicOnly: false,
      seconds: 3)
  }
}

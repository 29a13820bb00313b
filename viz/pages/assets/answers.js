// chalkgrad typed answers: the grammar of viz/practice/answers.py, in JavaScript.
//   sum := product (("+"|"-") product)*      product := unary (("*"|"/") unary)*
//   unary := ("-"|"+") unary | power        power := atom ("^" unary)?   ("**" is "^")
//   atom := number | inf | nan | "(" sum ")"
//   number := [0-9]+ ("." [0-9]*)? | "." [0-9]+, then ([eE] [+-]? [0-9]+)?
// ASCII digits only (no 0x10, no 1_0); overflow is Infinity, judged like any other answer.
// The tests run this file in Node and hold it to the Python reader, answer by answer.
var chalkgradAnswers = (function () {
  "use strict";
  var SPACES = " \t\r\n\u00a0";
  var MAX_ANSWER = 200;

  function strip(text) {
    var start = 0, end = text.length;
    while (start < end && SPACES.indexOf(text[start]) >= 0) { start += 1; }
    while (end > start && SPACES.indexOf(text[end - 1]) >= 0) { end -= 1; }
    return text.slice(start, end);
  }

  function tokenize(text) {
    var src = text.replace(/\u2212/g, "-").replace(/[\u00d7\u00b7]/g, "*").replace(/\*\*/g, "^");
    var tokens = [], i = 0, m;
    var number = /^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?/;
    while (i < src.length) {
      var rest = src.slice(i);
      if (SPACES.indexOf(src[i]) >= 0) { i += 1; continue; }  // "2 3" is refused later
      if ((m = number.exec(rest))) { tokens.push({ num: parseFloat(m[0]) }); i += m[0].length; }
      else if ((m = /^(inf|nan)/i.exec(rest))) {
        tokens.push({ num: m[0].toLowerCase() === "inf" ? Infinity : NaN }); i += m[0].length;
      } else if ("+-*/^()".indexOf(src[i]) >= 0) { tokens.push({ op: src[i] }); i += 1; }
      else { return null; }
    }
    return tokens;
  }

  function divide(a, b) { return a / b; }  // IEEE: 1/0 = Infinity, 0/0 = NaN

  function power(a, b) {
    if (b === 0) { return 1; }
    if (isNaN(a) || isNaN(b) || (Math.abs(a) === 1 && !isFinite(b))) { return NaN; }
    if (a < 0 && isFinite(a) && isFinite(b) && b !== Math.trunc(b)) {
      throw new Error(a + "^" + b + " is not a real number");
    }
    return Math.pow(a, b);  // overflow is +-Infinity, 0^-1 is Infinity
  }

  function parseAnswer(text) {
    var source = strip(String(text === undefined || text === null ? "" : text));
    if (!source) { throw new Error("empty answer: type a number such as -0.5 or 2*3 - 1"); }
    if (source.length > MAX_ANSWER) {
      throw new Error("answer is too long (" + source.length + " > " + MAX_ANSWER + " characters)");
    }
    var refused = new Error("'" + source + "' is not a number: use digits, + - * / ^ and parentheses");
    var tokens = tokenize(source), pos = 0;
    if (tokens === null || tokens.length === 0) { throw refused; }
    function isOp(t, ops) { return t !== undefined && t.op !== undefined && ops.indexOf(t.op) >= 0; }
    function atom() {
      var t = tokens[pos++];
      if (!t) { throw refused; }
      if (t.num !== undefined) { return t.num; }
      if (t.op === "(") {
        var v = sum();
        if (!isOp(tokens[pos], ")")) { throw refused; }
        pos += 1;
        return v;
      }
      throw refused;
    }
    function powerOf() {
      var base = atom();
      if (isOp(tokens[pos], "^")) { pos++; return power(base, unary()); }
      return base;
    }
    function unary() {
      if (isOp(tokens[pos], "-")) { pos++; return -unary(); }
      if (isOp(tokens[pos], "+")) { pos++; return unary(); }
      return powerOf();
    }
    function product() {
      var v = unary();
      while (isOp(tokens[pos], "*/")) {
        var op = tokens[pos++].op, w = unary();
        v = op === "*" ? v * w : divide(v, w);
      }
      return v;
    }
    function sum() {
      var v = product();
      while (isOp(tokens[pos], "+-")) {
        var op = tokens[pos++].op, w = product();
        v = op === "+" ? v + w : v - w;
      }
      return v;
    }
    var value = sum();
    if (pos !== tokens.length) { throw refused; }
    return value;
  }

  // Within tolerance (relative) of expected; differences up to zero always pass;
  // infinities and NaN must match exactly (viz.practice.answers.is_close).
  function isClose(answer, expected, tolerance, zero) {
    if (isNaN(expected) || isNaN(answer)) { return isNaN(expected) && isNaN(answer); }
    if (!isFinite(expected) || !isFinite(answer)) { return answer === expected; }
    return Math.abs(answer - expected) <= tolerance * Math.abs(expected) + zero;
  }

  return { parseAnswer: parseAnswer, isClose: isClose, power: power };
})();
if (typeof module !== "undefined" && module.exports) { module.exports = chalkgradAnswers; }

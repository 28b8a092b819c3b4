package dev.hookengine.transform;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How deeply a JSONata source nests, estimated by one iterative pass over its characters, before the
 * parser sees it: the parser and its post-processing recurse once per level of the tree they build,
 * so a source that nests a few hundred levels deep overflows the thread's stack (about 250 levels of
 * {@code [[[...]]]} on a 512 KiB stack). This scan never recurses, whatever the input.
 *
 * <p>The estimate is an upper bound of the depth of the parsed tree: each bracket ({@code (}, {@code [},
 * {@code {}) is a level, and so is each operator character of a chain of operations inside one
 * bracket (a chain ends at {@code ,} or {@code ;}), since a chain such as {@code a.b.c}, {@code 1+1+1}
 * or {@code ---1} parses into a tree as deep as it is long; a bracket that follows a closing one, as in
 * {@code a[0][0]} or {@code $f(1)(2)}, applies to what precedes it, and counts as an operator of the
 * chain too. A chain's depth adds to the depth of the
 * brackets it holds: {@code (x)+1+1} is as deep as {@code x} plus two. Strings, quoted names and
 * comments are skipped. Two-character operators such as {@code ~>} count twice, so the estimate may be
 * up to twice the real depth; it is never less.
 */
final class ExpressionNesting {

    private static final String OPERATOR_CHARACTERS = ".+-*/%&=!<>?:~@#^|";

    private ExpressionNesting() {}

    /** The estimated depth of {@code source}'s tree. */
    static int depth(String source) {
        Deque<Level> open = new ArrayDeque<>();
        Level current = new Level();
        int length = source.length();
        boolean afterCloser = false;
        for (int i = 0; i < length; i++) {
            char c = source.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            boolean applies = afterCloser;
            afterCloser = false;
            switch (c) {
                case '"', '\'', '`' -> i = endOfQuoted(source, i, c);
                case '\\' -> i++; // an escape in a regular expression: the next character is no bracket
                case '(', '[', '{' -> {
                    if (applies) {
                        current.operators++;
                    }
                    open.push(current);
                    current = new Level();
                }
                case ')', ']', '}' -> {
                    if (!open.isEmpty()) { // an unbalanced closer is the parser's to report
                        int closed = current.depth() + 1;
                        current = open.pop();
                        current.nested = Math.max(current.nested, closed);
                    }
                    afterCloser = true;
                }
                case ',', ';' -> current.endChain();
                default -> {
                    if (c == '/' && i + 1 < length && source.charAt(i + 1) == '*') {
                        int end = source.indexOf("*/", i + 2);
                        i = end < 0 ? length : end + 1;
                        afterCloser = applies; // a comment is no operand

                    } else if (OPERATOR_CHARACTERS.indexOf(c) >= 0) {
                        current.operators++;
                    } else if (Character.isLetter(c) && (i == 0 || !isNamePart(source.charAt(i - 1)))) {
                        int end = i;
                        while (end < length && isNamePart(source.charAt(end))) {
                            end++;
                        }
                        String word = source.substring(i, end);
                        if (word.equals("and") || word.equals("or") || word.equals("in")) {
                            current.operators++;
                        }
                        i = end - 1;
                    }
                }
            }
        }
        // Brackets left open still count: the parser recurses into them before it finds them unclosed.
        int depth = current.depth();
        while (!open.isEmpty()) {
            current = open.pop();
            current.nested = Math.max(current.nested, depth + 1);
            depth = current.depth();
        }
        return depth;
    }

    /** The index of the quote that closes the one at {@code start}, or the last index when none does. */
    private static int endOfQuoted(String source, int start, char quote) {
        for (int i = start + 1; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '\\' && quote != '`') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return source.length() - 1;
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /** One bracket's worth of the scan. */
    private static final class Level {
        /** Operators in the chain being read. */
        int operators;
        /** The deepest bracket inside the chain being read. */
        int nested;
        /** The deepest of this bracket's finished chains. */
        int deepestChain;

        void endChain() {
            deepestChain = Math.max(deepestChain, operators + nested);
            operators = 0;
            nested = 0;
        }

        int depth() {
            return Math.max(deepestChain, operators + nested);
        }
    }
}

package io.runbook.grammar;

import java.util.ArrayList;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ParseTree;

/**
 * The base of every parse tree node (the parser grammar's contextSuperClass). Most nodes have one or two
 * children: their list starts with room for two instead of ANTLR's ten, which was most of what parsing a big
 * runbook allocated.
 */
public class SmallContext extends ParserRuleContext {
    public SmallContext() {}

    public SmallContext(ParserRuleContext parent, int invokingStateNumber) {
        super(parent, invokingStateNumber);
    }

    @Override
    public <T extends ParseTree> T addAnyChild(T t) {
        if (children == null) children = new ArrayList<>(2);
        children.add(t);
        return t;
    }
}

// The runbook language. The parse tree stays inside the interpreter's parser package:
// io.runbook.parse.AstBuilder turns it into the immutable AST that everything else sees.
parser grammar RunbookParser;

options { tokenVocab = RunbookLexer; contextSuperClass = SmallContext; }

file        : topItem* runbook? topItem* EOF ;
topItem     : importDecl | defDecl ;

importDecl  : IMPORT STRING ;
defDecl     : DEF name LPAREN (defParam (COMMA defParam)*)? RPAREN ASSIGN expr ;
defParam    : name (ASSIGN expr)? ;

// A keyword is reserved only where the grammar cannot do without it: these are names everywhere else
// (`let count = 3`, `param file text`, `expect check_count(x) == 1`). Reserved: the words that open a runbook
// item or a block (runbook, import, def, param, preflight, phase, verify, rollback), `expect` and `affected`
// (guards follow a sql step), `no`, `retry`, and the words of expressions (and, or, not, between, true, false, null).
name        : IDENT | nonReserved ;
nonReserved : DESCRIPTION | SECRET | SET | TRANSACTION | SQL | FILE | CHECK | LET | CONFIRM | TYPING | ECHO
            | BATCH | UNTIL | MONITOR | EVERY | FOR | TOLERATE | SH | EXIT | SNAPSHOT | FIXTURE | DURATION
            | SCALAR | COUNT ;

runbook     : RUNBOOK STRING LBRACE runbookItem* RBRACE ;
runbookItem : DESCRIPTION (STRING | TRIPLE_STRING)                          # description
            | PARAM name SECRET? typeName (ASSIGN expr)?                    # param
            | SET name ASSIGN expr                                           # setting
            | importDecl                                                     # nestedImport
            | defDecl                                                        # nestedDef
            | PREFLIGHT block                                                # preflight
            | FIXTURE STRING                                                 # fixture
            | PHASE STRING (NO TRANSACTION)? retryClause? LBRACE phaseItem* RBRACE   # phase
            ;
typeName    : name ;

phaseItem   : step | VERIFY block | ROLLBACK block ;
block       : LBRACE step* RBRACE ;

step        : SQL sqlSource retryClause? sqlGuard*                           # sqlStep
            | BATCH DOLLAR_STRING UNTIL AFFECTED comparisonTail batchOption*  # batchStep
            // `batch over accounts by id size 10000 parallel 2 $$ ... :batch_from ... :batch_to $$`: walks the key's range.
            | BATCH over=IDENT table=qualifiedName by=IDENT key=name keysetOption* DOLLAR_STRING batchOption*  # keysetBatchStep
            | MONITOR STRING EVERY additive FOR additive (TOLERATE additive)? block  # monitorStep
            | SH DOLLAR_STRING shOption*                                     # shStep
            | SNAPSHOT STRING                                                # snapshotStep
            // `schema` stays usable as a name (stdlib functions take a schema argument): it is checked by the builder.
            | EXPECT what=name EQ SNAPSHOT STRING                            # expectSchemaStep
            | CHECK STRING block                                             # checkStep
            | EXPECT expr                                                    # expectStep
            | LET name ASSIGN expr                                           # letStep
            | CONFIRM expr (TYPING STRING)?                                  # confirmStep
            | ECHO expr                                                      # echoStep
            ;
sqlSource   : DOLLAR_STRING | FILE STRING ;
// Lock-timeout retries: `no retry`, or `retry(attempts = 5, lock_timeout = 100ms, max_lock_timeout = 5s, sleep = 1s, max_sleep = 1min)`.
retryClause : NO RETRY | RETRY LPAREN (retryOption (COMMA retryOption)*)? RPAREN ;
retryOption : name ASSIGN additive ;
// `pause 50ms`, `max 10000 batches`: contextual words, so `pause` and `max` stay usable as names. Plain identifiers
// only: a keyword on the next line (`confirm`, `echo`) starts the next step, it is never an option.
batchOption : option=IDENT additive unit=IDENT? ;
// `size 10000`, `parallel 2`: the keyset batch's header words, checked by the builder.
keysetOption : option=IDENT additive ;
qualifiedName : name (DOT name)? ;
// `expect exit 0` / `expect exit != 2`, `timeout 10m`.
shOption    : EXPECT EXIT (comparisonTail | additive)                        # shExpect
            | option=IDENT additive                                          # shTimeout
            ;
// `expect affected ...` / `expect duration ...` right after a sql step guard that step.
sqlGuard    : EXPECT metric=(AFFECTED | DURATION) comparisonTail ;

comparisonTail
            : compOp additive
            | BETWEEN additive AND additive
            ;
compOp      : EQ | NE | LT | LE | GT | GE ;

expr        : orExpr ;
orExpr      : andExpr (OR andExpr)* ;
andExpr     : notExpr (AND notExpr)* ;
notExpr     : NOT notExpr | comparison ;
comparison  : additive comparisonTail? ;
additive    : multiplicative (op=(PLUS | MINUS) multiplicative)* ;
multiplicative
            : unary (op=(STAR | SLASH) unary)* ;
unary       : MINUS unary | primary ;
primary     : INT                                                            # intLit
            | DECIMAL                                                        # decimalLit
            | DURATION_LIT                                                   # durationLit
            | STRING                                                         # stringLit
            | TRIPLE_STRING                                                  # tripleStringLit
            | (TRUE | FALSE)                                                 # boolLit
            | NULL                                                           # nullLit
            | name LPAREN (expr (COMMA expr)*)? RPAREN                       # call
            | name                                                           # variable
            | kind=(SCALAR | COUNT) DOLLAR_STRING                            # query
            | LPAREN expr RPAREN                                             # parens
            ;

// The entry point for `${...}` inside strings.
interpolation : expr EOF ;


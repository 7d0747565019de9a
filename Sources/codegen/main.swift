import CellForgeGen
import Foundation

// A thin shell around CellForgeGen.CodegenCommand; see `swift run codegen --help`.
let status = CodegenCommand.run(Array(CommandLine.arguments.dropFirst()),
                                out: { print($0) },
                                err: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
exit(status)

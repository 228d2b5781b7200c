import Anthropic from '@anthropic-ai/sdk';
import { runTool, tools } from './tools.js';

const client = new Anthropic(); // reads ANTHROPIC_API_KEY

const SYSTEM = 'You are a helpful coding assistant. Use the tools to inspect and change files in the current folder.';

async function main(task: string) {
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: task }];

  // Keep going until the model stops asking for tools.
  while (true) {
    const response = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 4096,
      system: SYSTEM,
      tools,
      messages,
    });
    messages.push({ role: 'assistant', content: response.content });

    for (const block of response.content) {
      if (block.type === 'text') console.log(block.text);
    }
    if (response.stop_reason !== 'tool_use') break;

    const results: Anthropic.ToolResultBlockParam[] = [];
    for (const block of response.content) {
      if (block.type !== 'tool_use') continue;
      console.log(`> ${block.name} ${JSON.stringify(block.input)}`);
      let output: string;
      try {
        output = runTool(block.name, block.input as Record<string, string>);
      } catch (error) {
        output = `Error: ${(error as Error).message}`;
      }
      results.push({ type: 'tool_result', tool_use_id: block.id, content: output });
    }
    messages.push({ role: 'user', content: results });
  }
}

main(process.argv.slice(2).join(' ')).catch((error) => {
  console.error(error);
  process.exit(1);
});
